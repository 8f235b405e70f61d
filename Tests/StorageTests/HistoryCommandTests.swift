import Foundation
import GRDB
@testable import Storage
import Testing
import TestSupport

/// The `llamaterm history` commands, through the real binary.
@Suite("llamaterm history commands", .serialized)
struct HistoryCommandTests {
    func run(_ args: [String], db: String) throws -> ProcessResult {
        try runLlamaterm(["history"] + args + ["--db", db])
    }

    @Test("import, list, show, search, rename, export, delete")
    func fullCycle() throws {
        let t = try TempStore("cli")
        let sample = try makeSampleConversation(t.store, title: "Capitals")
        let json = t.folder.appendingPathComponent("c.json")
        try Data(try ConversationExporter.json(sample).utf8).write(to: json)
        let db = t.folder.appendingPathComponent("cli/other.sqlite").path

        let imported = try run(["import", json.path], db: db)
        #expect(imported.status == 0 && imported.stdout.contains("as conversation 1: Capitals"), "\(imported.stderr)")

        let list = try run(["list", "--json"], db: db)
        #expect(list.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["title"] as? String == "Capitals" && rows[0]["messages"] as? Int == 3)
        let text = try run(["list"], db: db)
        #expect(text.stdout.contains("Capitals") && text.stdout.contains("3 msgs"))

        let show = try run(["show", "1"], db: db)
        #expect(show.status == 0 && show.stdout.hasPrefix("# Capitals") && show.stdout.contains("Paris."))

        let search = try run(["search", "capital", "of", "france"], db: db)
        #expect(search.status == 0 && search.stdout.contains("[capital]") && search.stdout.contains("[France]"))
        let searchJSON = try run(["search", "Japan", "--json"], db: db)
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(searchJSON.stdout.utf8)) as? [[String: Any]])
        #expect(hits.count == 1 && (hits[0]["snippet"] as? String)?.contains("[Japan]") == true)

        #expect(try run(["rename", "1", "Capital", "cities"], db: db).status == 0)
        #expect(try run(["show", "1"], db: db).stdout.hasPrefix("# Capital cities\n"))

        let out = t.folder.appendingPathComponent("export.json").path
        #expect(try run(["export", "1", "--format", "json", "-o", out], db: db).status == 0)
        let exported = try String(contentsOfFile: out, encoding: .utf8)
        #expect(exported.contains("\"title\" : \"Capital cities\""))
        let md = try run(["export", "1", "--format", "md"], db: db)
        #expect(md.stdout.hasPrefix("# Capital cities") && md.stdout.contains("## System prompt (terse)"))
        let folder = t.folder.appendingPathComponent("all").path
        let all = try run(["export", "--all", folder], db: db)
        #expect(all.status == 0 && all.stdout.contains("exported 1 conversation to"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["conversation-000001.json", "conversation-000001.md"])

        #expect(try run(["delete", "1"], db: db).status == 0)
        #expect(try run(["list"], db: db).stdout.contains("no conversations"))
    }

    @Test("bad input: one line on stderr, exit 1, nothing changed", arguments: [
        ["show", "99"], ["delete", "99"], ["rename", "99", "x"], ["export", "99", "--format", "md"],
        ["import", "/nonexistent/file.json"], ["export", "1", "--format", "json", "-o", "/nonexistent/dir/x.json"],
    ])
    func badInput(args: [String]) throws {
        let t = try TempStore("cli-bad")
        let sample = try makeSampleConversation(t.store)
        let r = try run(args, db: t.path)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1 && lines[0].hasPrefix("llamaterm: "), "\(r.stderr)")
        #expect(try t.store.conversation(sample.conversation.id) == sample)
    }

    @Test("a malformed import file: one line naming it, exit 1, no conversation added")
    func malformedImport() throws {
        let t = try TempStore("cli-malformed")
        let file = t.folder.appendingPathComponent("broken.json")
        try Data(#"{"messages": [{"role": "user", "content": "hi"}"#.utf8).write(to: file)
        let r = try run(["import", file.path], db: t.path)
        #expect(r.status == 1 && r.stderr.hasPrefix("llamaterm: cannot import \(file.path)") && r.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try t.store.conversationCount(includeArchived: true) == 0)
    }

    @Test("a newer database is refused by the commands too, and not modified")
    func newerDatabase() throws {
        let t = try TempStore("cli-newer")
        _ = try makeSampleConversation(t.store)
        let queue = try rawQueue(t.path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')") }
        // Everything into the main file, so comparing its bytes shows any later write.
        _ = try queue.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: t.path))
        let r = try run(["list"], db: t.path)
        #expect(r.status == 1 && r.stderr.contains("newer version of llamaterm") && r.stderr.contains("v2-from-the-future"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: t.path)) == before)
    }

    @Test("LLAMATERM_DB and XDG_DATA_HOME choose the file when --db is absent")
    func environment() throws {
        let folder = try TestPaths.temporaryDirectory("cli-env")
        let viaEnv = folder.appendingPathComponent("env.sqlite").path
        var r = try runLlamaterm(["history", "_stream-test", "--chars", "20", "--delay-ms", "0"], environment: ["LLAMATERM_DB": viaEnv])
        #expect(r.status == 0 && FileManager.default.fileExists(atPath: viaEnv))
        r = try runLlamaterm(["history", "list"], environment: ["LLAMATERM_DB": "", "XDG_DATA_HOME": folder.path])
        #expect(r.status == 0 && r.stdout.contains("no conversations in \(folder.path)/llamaterm/llamaterm.sqlite"))
    }
}
