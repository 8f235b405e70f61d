import Foundation
@testable import Storage
import Testing
import TestSupport

@Suite("Full-text search (FTS5 trigram) on a real file")
struct SearchTests {
    /// A store with messages in several scripts.
    func store() throws -> (TempStore, [String: Int64]) {
        let t = try TempStore("search")
        var ids: [String: Int64] = [:]
        func add(_ key: String, _ title: String?, _ messages: [String]) throws {
            let c = try t.store.createConversation(NewConversation(title: title, titleIsCustom: title != nil))
            for (i, text) in messages.enumerated() {
                _ = try t.store.appendMessage(to: c.id, NewMessage(role: i % 2 == 0 ? .user : .assistant, content: text))
            }
            ids[key] = c.id
        }
        try add("french", nil, ["Où est le café le plus proche ?", "Le Café de Flore est à Saint-Germain."])
        try add("japanese", nil, ["私は東京タワーに行きました。", "東京タワーは高さ333メートルです。"])
        try add("chinese", "中文对话", ["我喜欢学习中文和数学", "数学很有趣"])
        try add("emoji", nil, ["Let's have a party 🎉 tonight", "Bring 🍕 and 🎂!"])
        try add("english", "Weekend plans", ["The database uses SQLite", "SQLite is a database engine; databases everywhere"])
        return (t, ids)
    }

    @Test("accented words: exact, other case, inside longer text; snippet marks the match")
    func accents() throws {
        let (t, ids) = try store()
        let all = try t.store.search("café", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
        // The automatic title (the first user message) matches too, and comes first.
        #expect(all.first?.field == .title && all.first?.snippet == "Où est le [café] le plus proche ?")
        let hits = all.filter { $0.field == .message }
        #expect(hits.count == 2 && hits.allSatisfy { $0.conversationId == ids["french"] })
        #expect(hits.contains { $0.snippet.contains("[café]") })
        #expect(hits.contains { $0.snippet.contains("[Café]") }, "matching ignores case, É/é included")
        let upper = try t.store.search("CAFÉ DE FLORE", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(upper.count == 1 && upper[0].snippet.contains("[Café]") && upper[0].snippet.contains("[Flore]"))
        // Accents are folded: "cafe" finds "café".
        let folded = try t.store.search("cafe", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(folded.count == 2 && folded.contains { $0.snippet.contains("[café]") })
        // A word prefix of 3+ characters finds longer words: "Germ" finds "Saint-Germain".
        #expect(try t.store.search("Germ").filter { $0.field == .message }.count == 1)
        // "où" is two characters: whole words only.
        let short = try t.store.search("Où", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
        #expect(short.map(\.conversationId) == [ids["french"]!, ids["french"]!])
        #expect(short.map(\.field) == [.title, .message])
        #expect(short.allSatisfy { $0.snippet.hasPrefix("[Où]") })
    }

    @Test("CJK: substrings inside unsegmented sentences, 2-character words included")
    func cjk() throws {
        let (t, ids) = try store()
        let tower = try t.store.search("東京タワー", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(tower.count == 2 && tower.allSatisfy { $0.conversationId == ids["japanese"] && $0.snippet.contains("[東京タワー]") })
        let twoChars = try t.store.search("東京", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(twoChars.count == 2 && twoChars.allSatisfy { $0.snippet.contains("[東京]") })
        let chinese = try t.store.search("数学", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(Set(chinese.map(\.messageId)).count == 2 && chinese.allSatisfy { $0.conversationId == ids["chinese"] })
        let middle = try t.store.search("学习中文", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
        #expect(middle.count == 1 && middle[0].snippet.contains("[学习中文]"))
        let title = try t.store.search("中文对话", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
        #expect(title.first?.field == .title && title.first?.snippet == "[中文对话]")
        #expect(try t.store.search("大阪").isEmpty)
    }

    @Test("emoji alone and with words")
    func emoji() throws {
        let (t, ids) = try store()
        let party = try t.store.search("🎉", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(party.count == 1 && party[0].conversationId == ids["emoji"] && party[0].snippet.contains("[🎉]"))
        let mixed = try t.store.search("party 🎉", limit: 10, offset: 0, includeArchived: false, markers: .brackets)
            .filter { $0.field == .message }
        #expect(mixed.count == 1 && mixed[0].snippet.contains("[party]"))
        #expect(try t.store.search("🍕").count == 1)
        #expect(try t.store.search("🚀").isEmpty)
    }

    @Test("ranking: title matches first, then messages by bm25; every word required; phrases")
    func ranking() throws {
        let (t, ids) = try store()
        _ = try t.store.createConversation(NewConversation(title: "Database notes", titleIsCustom: true))
        let hits = try t.store.search("database")
        #expect(hits.first?.field == .title && hits.first?.snippet == "\u{1}Database\u{2} notes")
        let messageHits = hits.filter { $0.field == .message }
        #expect(messageHits.count == 2)
        // bm25: more occurrences in a message of similar length rank better (lower).
        #expect(messageHits[0].rank <= messageHits[1].rank)
        #expect(try t.store.conversation(ids["english"]!).messages[1].id == messageHits[0].messageId)
        #expect(try t.store.search("database engine").count == 1)
        #expect(try t.store.search("\"engine; databases\"").count == 1)
        #expect(try t.store.search("data").filter { $0.field == .message }.count == 2, "prefix match")
        #expect(try t.store.search("\"databases engine\"").isEmpty)
        #expect(try t.store.search("   ").isEmpty)
        // Quotes and FTS syntax in the query are text, not operators.
        #expect(try t.store.search("\"\" OR NEAR( *").isEmpty)
        #expect(try t.store.search("100%").isEmpty)
    }

    @Test("archived conversations are hidden unless asked; pages do not overlap")
    func archivedAndPages() throws {
        let (t, ids) = try store()
        try t.store.setArchived(ids["japanese"]!, true)
        #expect(try t.store.search("東京タワー").isEmpty)
        #expect(try t.store.search("東京タワー", limit: 5, offset: 0, includeArchived: true, markers: .control)
            .filter { $0.field == .message }.count == 2)
        let c = try t.store.createConversation(NewConversation(title: "Pages", titleIsCustom: true))
        for i in 0..<7 {
            _ = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "pagination test \(i) " + String(repeating: "pagination ", count: i)))
        }
        let all = try t.store.search("pagination", limit: 50, offset: 0, includeArchived: false, markers: .control)
        let first = try t.store.search("pagination", limit: 3, offset: 0, includeArchived: false, markers: .control)
        let second = try t.store.search("pagination", limit: 3, offset: 3, includeArchived: false, markers: .control)
        let third = try t.store.search("pagination", limit: 3, offset: 6, includeArchived: false, markers: .control)
        #expect(all.count == 7)
        #expect((first + second + third).map(\.messageId) == all.map(\.messageId))
        #expect(all.map(\.rank) == all.map(\.rank).sorted(), "best (lowest bm25) first")
    }

    @Test("edits and streaming updates keep the index in sync")
    func indexFollowsUpdates() throws {
        let t = try TempStore("search-sync")
        let c = try t.store.createConversation(NewConversation())
        let reply = try t.store.beginReply(in: c.id, provenance: nil)
        try t.store.updateReply(reply.id, content: "first draft about zebras", status: .partial, tokenCount: nil)
        #expect(try t.store.search("zebras").count == 1)
        try t.store.finishReply(reply.id, content: "final text about giraffes", status: .complete, tokenCount: nil, errorMessage: nil, provenance: nil)
        #expect(try t.store.search("zebras").isEmpty)
        #expect(try t.store.search("giraffes").count == 1)
        try t.store.renameConversation(c.id, title: "Savanna animals")
        #expect(try t.store.search("savanna").first?.field == .title)
        try t.store.renameConversation(c.id, title: "Something else")
        #expect(try t.store.search("savanna").isEmpty)
        // A reply that becomes Japanese, then not, then is deleted: the trigram index follows.
        try t.store.updateReply(reply.id, content: "キリンの首は長い", status: .partial, tokenCount: nil)
        #expect(try t.store.search("キリンの").count == 1)
        #expect(try t.store.search("giraffes").isEmpty)
        try t.store.updateReply(reply.id, content: "giraffes again", status: .partial, tokenCount: nil)
        #expect(try t.store.search("キリンの").isEmpty)
        try t.store.updateReply(reply.id, content: "キリン again キリン", status: .partial, tokenCount: nil)
        let other = try t.store.appendMessage(to: c.id, NewMessage(role: .user, content: "東京タワー"))
        try t.store.deleteMessage(other.id)
        #expect(try t.store.search("東京タワー").isEmpty)
        // FTS5's own check that each index matches the table's content (throws if not).
        let queue = try rawQueue(t.path)
        try queue.write { db in
            for table in ["message_words", "message_cjk", "conversation_words"] {
                try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES ('integrity-check', 1)")
            }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message_cjk") } == 1)
        #expect(try queue.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM message_unsegmented") } == [reply.id])
        #expect(try t.store.search("リン").map(\.messageId) == [reply.id])
    }
}

@Suite("Search query parsing (pure)")
struct SearchQueryTests {
    @Test func splitsWordsAndPhrases() {
        #expect(SearchQuery("  hello   world ").terms == ["hello", "world"])
        #expect(SearchQuery("say \"hello world\" now").terms == ["say", "hello world", "now"])
        #expect(SearchQuery("\"unclosed phrase").terms == ["unclosed phrase"])
        #expect(SearchQuery("").isEmpty && SearchQuery("\"\"").isEmpty)
    }

    @Test func termsGoToTheIndexThatCanFindThem() {
        let q = SearchQuery("東京 タワー é 🎉 café 100% ภาษาไทย ab")
        #expect(q.terms(.words) == ["é", "café", "100%", "ab"])
        #expect(q.terms(.unsegmented) == ["タワー", "ภาษาไทย"])
        #expect(q.terms(.scan) == ["東京", "🎉"])
        #expect(q.wordExpression == "\"é\" AND \"café\"* AND \"100%\"* AND \"ab\"")
        #expect(q.unsegmentedExpression == "\"タワー\" AND \"ภาษาไทย\"")
        #expect(SearchQuery("🎉 🍕").wordExpression == nil && SearchQuery("🎉 🍕").unsegmentedExpression == nil)
        #expect(SearchQuery("say \"\"\"hi\"\"\"").terms == ["say", "hi"])
        #expect(SearchQuery("x\"yz\"\"zz").terms == ["x", "yz", "zz"])
    }

    @Test func quotesInsideTermsAreEscaped() {
        var q = SearchQuery("")
        q.terms = ["say \"hi\""]
        #expect(q.wordExpression == "\"say \"\"hi\"\"\"*")
        #expect(SearchQuery.likePattern("100%_\\") == "%100\\%\\_\\\\%")
    }

    @Test("the migration's GLOB pattern and UnsegmentedScripts agree on every range edge")
    func globAgreesWithSwift() throws {
        let t = try TempStore("glob")
        var probes: [UInt32] = []
        for r in UnsegmentedScripts.ranges { probes += [r.lowerBound - 1, r.lowerBound, r.upperBound, r.upperBound + 1] }
        let queue = try rawQueue(t.path)
        let pattern = try #require(try queue.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'message_cjk_insert'")
        })
        #expect(pattern.contains(UnsegmentedScripts.globPattern))
        for value in probes {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "b"
            let sqlite = try queue.read { db in
                try Bool.fetchOne(db, sql: "SELECT ? GLOB ?", arguments: [text, UnsegmentedScripts.globPattern])
            }
            #expect(sqlite == UnsegmentedScripts.contains(text), "U+\(String(value, radix: 16))")
        }
    }

    @Test func snippetBuilderMarksEveryMatch() {
        let s = SnippetBuilder.snippet(of: "ab ab ab", terms: ["ab"], markers: .brackets)
        #expect(s == "[ab] [ab] [ab]")
        let long = String(repeating: "x", count: 100) + "東京" + String(repeating: "y", count: 100)
        let cut = SnippetBuilder.snippet(of: long, terms: ["東京"], markers: .brackets, context: 5)
        #expect(cut == "…xxxxx[東京]yyyyy…")
        #expect(SnippetBuilder.snippet(of: "Le Café", terms: ["cafe"], markers: .brackets) == "Le [Café]")
    }
}
