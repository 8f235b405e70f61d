import Foundation
import GRDB

/// `ConversationStore` on one SQLite file through a GRDB `DatabasePool` (WAL: readers never block
/// the writer, a crash never corrupts). Several processes may use the same file at once: writes
/// wait for each other (busy timeout) instead of failing.
public struct SQLiteConversationStore: ConversationStore {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// How long a write waits for another process's write to finish before failing.
    public static let busyTimeout: TimeInterval = 30

    /// Opens (creating when missing, folder 0700 and file 0600) and migrates the database at
    /// `path`. A database written by a newer llamaterm is refused and left untouched.
    public init(path: String) throws {
        try self.init(path: path, maxPageCount: nil)
    }

    /// `maxPageCount` caps the file's size (`PRAGMA max_page_count`): tests use it to run out of
    /// space without filling a disk.
    init(path: String, maxPageCount: Int?) throws {
        self.path = path
        try DatabaseLocation.prepare(path: path)
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.foreignKeysEnabled = true
        config.label = "llamaterm.storage"
        if let maxPageCount {
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)") }
        }
        let migrator = StorageMigrations.migrator
        // Check the migrations through a plain connection first: opening a pool may write (GRDB
        // makes sure a WAL file exists), and a newer database must not be touched at all.
        do {
            let probe = try DatabaseQueue(path: path, configuration: config)
            let applied = try probe.read { db in try migrator.appliedIdentifiers(db) }
            try probe.close()
            let unknown = applied.subtracting(migrator.migrations)
            if !unknown.isEmpty {
                throw StorageError.newerDatabase(path: path, unknownMigrations: unknown.sorted())
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.cannotOpen(path: path, reason: Self.message(of: error))
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets `synchronous = NORMAL` for WAL, which survives a killed process but may
            // lose the last commits on power loss. FULL syncs the WAL on each commit: a saved
            // message stays saved.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw StorageError.cannotOpen(path: path, reason: Self.message(of: error))
        }
        // GRDB's migrator assumes one process: two processes opening a new file at once may both
        // try a migration. Each migration is one transaction, so the loser's rolls back whole;
        // trying again then finds it applied and goes on with the next.
        var attempt = 0
        while true {
            do {
                try migrator.migrate(pool)
                break
            } catch {
                attempt += 1
                if attempt >= 5 { throw StorageError.cannotOpen(path: path, reason: Self.message(of: error)) }
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }

    /// Opens the database `--db` / `LLAMATERM_DB` / the XDG default designates.
    public static func openDefault(explicitPath: String? = nil) throws -> SQLiteConversationStore {
        try SQLiteConversationStore(path: DatabaseLocation.resolve(explicit: explicitPath))
    }

    /// Runs `body` in one write transaction; SQLite errors become `StorageError.sqlite`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write { db in try body(db) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.sqlite(path: path, message: Self.message(of: error))
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(db) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.sqlite(path: path, message: Self.message(of: error))
        }
    }

    /// Runs SQL for diagnostics and tests (e.g. `PRAGMA integrity_check`): the first column of
    /// every row, as text.
    public func diagnosticQuery(_ sql: String) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: sql) }
    }

    static func message(of error: Error) -> String {
        if let db = error as? DatabaseError {
            let text = db.message ?? "\(db.resultCode)"
            return "\(text) (SQLite code \(db.extendedResultCode.rawValue))"
        }
        if let storage = error as? StorageError { return storage.description }
        return "\(error)"
    }
}
