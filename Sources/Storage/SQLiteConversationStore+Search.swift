import Foundation
import GRDB

extension SQLiteConversationStore {
    /// How many tokens `snippet()` shows around a match (words, or characters for trigrams).
    static let snippetWords = 16
    static let snippetTrigrams = 48

    /// bm25 costs a few microseconds per matching message, so a word found in half of 200,000
    /// messages would take a second to rank. Ranking therefore considers the most recent
    /// `rankedCandidates` matching messages (all of them when there are fewer).
    static let rankedCandidates = 2000

    public func search(
        _ text: String, limit: Int, offset: Int, includeArchived: Bool, markers: SnippetMarkers
    ) throws -> [SearchHit] {
        let query = SearchQuery(text)
        guard !query.isEmpty, limit > 0 else { return [] }
        let wanted = max(0, offset) + limit
        return try read { db in
            let titles = try titleHits(db, query, wanted, includeArchived, markers)
            let messages = try messageHits(db, query, wanted, includeArchived, markers)
            return Array((titles + messages).dropFirst(max(0, offset)).prefix(limit))
        }
    }

    private func messageHits(
        _ db: Database, _ query: SearchQuery, _ limit: Int, _ includeArchived: Bool, _ markers: SnippetMarkers
    ) throws -> [SearchHit] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        var likeTerms = query.terms(.scan)
        let select: String
        let order: String
        let primary: (table: String, match: String, tokens: Int)?
        if let words = query.wordExpression {
            primary = ("message_words", words, Self.snippetWords)
            if let cjk = query.unsegmentedExpression {
                conditions.append("m.id IN (SELECT rowid FROM message_cjk WHERE message_cjk MATCH ?)")
                arguments += [cjk]
            }
        } else if let cjk = query.unsegmentedExpression {
            primary = ("message_cjk", cjk, Self.snippetTrigrams)
        } else {
            primary = nil
        }
        if let (table, match, tokens) = primary {
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title,
                    snippet(\(table), 0, ?, ?, ?, \(tokens)) AS snip, \(table).rank AS score
                FROM \(table)
                CROSS JOIN message m ON m.id = \(table).rowid
                CROSS JOIN conversation c ON c.id = m.conversation_id
                """
            arguments = [markers.open, markers.close, markers.ellipsis] + arguments
            conditions.append("\(table) MATCH ?")
            arguments += [match]
            // The rowid of the oldest message among the most recent `rankedCandidates` matches.
            if let oldest = try Int64.fetchOne(
                db, sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                arguments: [match, Self.rankedCandidates - 1]) {
                conditions.append("\(table).rowid >= ?")
                arguments += [oldest]
            }
            order = "\(table).rank"
        } else if query.terms.contains(where: UnsegmentedScripts.contains) {
            // Short CJK words only: scan the messages holding such text, newest first.
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, NULL AS snip, 0.0 AS score
                FROM message_unsegmented u
                CROSS JOIN message m ON m.id = u.id
                CROSS JOIN conversation c ON c.id = m.conversation_id
                """
            likeTerms = query.terms
            order = "u.id DESC"
        } else {
            // No indexed term (emoji, symbols): scan from the newest message, stop at `limit` matches.
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, NULL AS snip, 0.0 AS score
                FROM message m CROSS JOIN conversation c ON c.id = m.conversation_id
                """
            likeTerms = query.terms
            order = "m.id DESC"
        }
        for term in likeTerms {
            conditions.append("m.content LIKE ? ESCAPE '\\'")
            arguments += [SearchQuery.likePattern(term)]
        }
        if !includeArchived { conditions.append("c.archived = 0") }
        let sql = select + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY \(order) LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let content: String = row["content"] ?? ""
            let snip: String? = row["snip"]
            let roleText: String = row["role"] ?? ""
            return SearchHit(
                conversationId: row["conversation_id"], conversationTitle: row["title"] ?? "",
                messageId: row["id"], role: MessageRole(rawValue: roleText), field: .message,
                snippet: snip ?? SnippetBuilder.snippet(of: content, terms: query.terms, markers: markers),
                rank: row["score"] ?? 0)
        }
    }

    /// Titles are short and few: words through `conversation_words`, everything else by `LIKE`.
    private func titleHits(
        _ db: Database, _ query: SearchQuery, _ limit: Int, _ includeArchived: Bool, _ markers: SnippetMarkers
    ) throws -> [SearchHit] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        let select: String
        let order: String
        let likeTerms: [String]
        if let words = query.wordExpression {
            select = """
                SELECT c.id, c.title, highlight(conversation_words, 0, ?, ?) AS snip, conversation_words.rank AS score
                FROM conversation_words JOIN conversation c ON c.id = conversation_words.rowid
                """
            arguments += [markers.open, markers.close]
            conditions.append("conversation_words MATCH ?")
            arguments += [words]
            order = "conversation_words.rank"
            likeTerms = query.terms(.unsegmented) + query.terms(.scan)
        } else {
            select = "SELECT c.id, c.title, NULL AS snip, 0.0 AS score FROM conversation c"
            order = "c.updated_at DESC, c.id DESC"
            likeTerms = query.terms
        }
        for term in likeTerms {
            conditions.append("c.title LIKE ? ESCAPE '\\'")
            arguments += [SearchQuery.likePattern(term)]
        }
        if !includeArchived { conditions.append("c.archived = 0") }
        let sql = select + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY \(order) LIMIT ?"
        arguments += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let title: String = row["title"] ?? ""
            let snip: String? = row["snip"]
            return SearchHit(
                conversationId: row["id"], conversationTitle: title, messageId: nil, role: nil,
                field: .title,
                snippet: snip ?? SnippetBuilder.snippet(of: title, terms: query.terms, markers: markers, context: 200),
                rank: row["score"] ?? 0)
        }
    }
}
