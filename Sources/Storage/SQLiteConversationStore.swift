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
        // Several processes may open a new file at the same moment (two `llamaterm` started
        // together). The busy timeout covers ordinary locks, but switching a new file to WAL and
        // running GRDB's migrator (which assumes one process) can fail at once instead of waiting.
        // Every step is safe to repeat (a migration is one transaction, so a loser's rolls back
        // whole and the retry finds it applied), so the whole open is retried with a growing pause.
        var attempt = 0
        while true {
            do {
                pool = try Self.openAndMigrate(path: path, configuration: config)
                return
            } catch let error as StorageError {
                if case .newerDatabase = error { throw error }
                attempt += 1
                if attempt >= 10 { throw error }
            } catch {
                attempt += 1
                if attempt >= 10 { throw StorageError.cannotOpen(path: path, reason: Self.message(of: error)) }
            }
            usleep(useconds_t(50_000 * attempt))
        }
    }

    /// One attempt at opening: refuse a newer database without touching it, open the pool, set
    /// full sync, apply the migrations.
    private static func openAndMigrate(path: String, configuration config: Configuration) throws -> DatabasePool {
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
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets `synchronous = NORMAL` for WAL, which survives a killed process but may
            // lose the last commits on power loss. FULL syncs the WAL on each commit: a saved
            // message stays saved.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try migrator.migrate(pool)
        } catch {
            throw StorageError.cannotOpen(path: path, reason: Self.message(of: error))
        }
        return pool
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
