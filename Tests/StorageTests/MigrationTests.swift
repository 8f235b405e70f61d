import Foundation
import GRDB
@testable import Storage
import Testing
import TestSupport

@Suite("Opening and migrating the database")
struct MigrationTests {
    @Test("an empty folder gets a migrated database: tables, FTS tables, migration records")
    func migratesFromNothing() throws {
        let t = try TempStore()
        let tables = try t.store.diagnosticQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for name in ["conversation", "message", "system_prompt", "message_words", "message_cjk", "conversation_words", "grdb_migrations"] {
            #expect(tables.contains(name), "missing table \(name)")
        }
        let applied = try t.store.diagnosticQuery("SELECT identifier FROM grdb_migrations ORDER BY identifier")
        #expect(Set(applied) == Set(StorageMigrations.knownIdentifiers))
        #expect(try t.store.diagnosticQuery("PRAGMA journal_mode") == ["wal"])
        #expect(try t.store.diagnosticQuery("PRAGMA integrity_check") == ["ok"])
    }

    @Test("an empty existing file (0 bytes) is migrated too, and reopening is idempotent")
    func emptyFileAndReopen() throws {
        let folder = try TestPaths.temporaryDirectory("empty")
        let path = folder.appendingPathComponent("x.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let first = try SQLiteConversationStore(path: path)
        let c = try first.createConversation(NewConversation(title: "kept"))
        let second = try SQLiteConversationStore(path: path)
        #expect(try second.conversation(c.id).conversation.title == "kept")
        #expect(try second.diagnosticQuery("SELECT count(*) FROM grdb_migrations") == ["\(StorageMigrations.knownIdentifiers.count)"])
    }

    @Test("a database from an older version is migrated forward, existing rows included")
    func migratesOlderDatabase() throws {
        let folder = try TestPaths.temporaryDirectory("old")
        let path = folder.appendingPathComponent("old.sqlite").path
        let old = try DatabasePool(path: path)
        try StorageMigrations.migrator.migrate(old, upTo: "v1-full-text-search")
        try old.write { db in
            try db.execute(sql: "INSERT INTO conversation (id, title, created_at, updated_at) VALUES (1, 'old', 0, 0)")
            try db.execute(sql: """
                INSERT INTO message (conversation_id, position, role, content, created_at, updated_at)
                VALUES (1, 0, 'user', '東京に行く', 0, 0), (1, 1, 'assistant', 'plain text', 0, 0)
                """)
        }
        try old.close()
        let store = try SQLiteConversationStore(path: path)
        #expect(Set(try store.diagnosticQuery("SELECT identifier FROM grdb_migrations")) == Set(StorageMigrations.knownIdentifiers))
        #expect(try store.diagnosticQuery("SELECT count(*) FROM message_unsegmented") == ["1"])
        #expect(try store.search("東京").map(\.field) == [.message])
        #expect(try store.search("plain").count == 1)
    }

    @Test("folder 0700 and file 0600 when created")
    func permissions() throws {
        let root = try TestPaths.temporaryDirectory("perms")
        let path = root.appendingPathComponent("a/b/llamaterm.sqlite").path
        let store = try SQLiteConversationStore(path: path)
        _ = try store.createConversation(NewConversation(title: "private"))
        let fm = FileManager.default
        func mode(_ p: String) throws -> Int {
            try #require(fm.attributesOfItem(atPath: p)[.posixPermissions] as? Int) & 0o777
        }
        #expect(try mode(root.appendingPathComponent("a").path) == 0o700)
        #expect(try mode(root.appendingPathComponent("a/b").path) == 0o700)
        #expect(try mode(path) == 0o600)
        // SQLite gives the WAL and shared-memory files the database file's mode.
        #expect(try mode(path + "-wal") == 0o600)
        #expect(try mode(path + "-shm") == 0o600)
    }

    @Test("a database written by a newer version is refused and left untouched")
    func newerVersionRefused() throws {
        let t = try TempStore()
        let c = try t.store.createConversation(NewConversation(title: "from the future"))
        let queue = try rawQueue(t.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-something-new')")
            try db.execute(sql: "CREATE TABLE future_thing (x)")
        }
        // Everything into the main file, so comparing its bytes shows any later write.
        _ = try queue.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        #expect {
            _ = try SQLiteConversationStore(path: t.path)
        } throws: { error in
            guard case let StorageError.newerDatabase(path, unknown) = error else { return false }
            return path == t.path && unknown == ["v9-something-new"]
                && "\(error)".contains("newer version of llamaterm")
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: t.path))
        #expect(before == after, "the refused file changed")
        let check = try rawQueue(t.path)
        let (title, marker) = try check.read { db throws -> (String?, Bool?) in
            (try String.fetchOne(db, sql: "SELECT title FROM conversation WHERE id = ?", arguments: [c.id]),
             try Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = 'v9-something-new'"))
        }
        #expect(title == "from the future" && marker == true)
    }

    @Test("a file that is not a database gives a clear error naming it, and is not changed")
    func notADatabase() throws {
        let folder = try TestPaths.temporaryDirectory("notdb")
        let path = folder.appendingPathComponent("notes.sqlite").path
        let junk = Data(String(repeating: "this is not sqlite\n", count: 300).utf8)
        try junk.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteConversationStore(path: path)
        } throws: { error in
            guard case let StorageError.cannotOpen(p, reason) = error else { return false }
            return p == path && reason.contains("not a database")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
    }

    @Test("--db beats LLAMATERM_DB beats XDG_DATA_HOME beats ~/.local/share")
    func locationResolution() {
        let env = ["LLAMATERM_DB": "/e/db.sqlite", "XDG_DATA_HOME": "/xdg"]
        #expect(DatabaseLocation.resolve(explicit: "/x/y.sqlite", environment: env) == "/x/y.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: env) == "/e/db.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/xdg"]) == "/xdg/llamaterm/llamaterm.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: [:]) == NSHomeDirectory() + "/.local/share/llamaterm/llamaterm.sqlite")
        #expect(DatabaseLocation.resolve(explicit: "", environment: ["LLAMATERM_DB": ""]).hasSuffix("/llamaterm/llamaterm.sqlite"))
    }
}
