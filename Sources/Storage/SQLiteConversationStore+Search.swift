import Foundation
import GRDB

extension SQLiteConversationStore {
    /// bm25 costs microseconds per matching message, so a word found in half of 200,000
    /// messages would take a second to rank. Ranking therefore considers the most recent
    /// `rankedCandidates` matching messages (all of them when there are fewer).
    static let rankedCandidates = 1000

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
        let primary: (table: String, match: String)?
        if let words = query.wordExpression {
            primary = ("message_words", words)
            if let cjk = query.unsegmentedExpression {
                conditions.append("m.id IN (SELECT rowid FROM message_cjk WHERE message_cjk MATCH ?)")
                arguments += [cjk]
            }
        } else if let cjk = query.unsegmentedExpression {
            primary = ("message_cjk", cjk)
        } else {
            primary = nil
        }
        // Snippets are made in Swift for the returned rows only: in SQL, `snippet()` would run
        // for every ranked candidate before the sort.
        if let (table, match) = primary {
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, bm25(\(table)) AS score
                FROM \(table)
                CROSS JOIN message m ON m.id = \(table).rowid
                CROSS JOIN conversation c ON c.id = m.conversation_id
                """
            conditions.append("\(table) MATCH ?")
            arguments += [match]
            // The rowid of the oldest message among the most recent `rankedCandidates` matches.
            if let oldest = try Int64.fetchOne(
                db, sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                arguments: [match, Self.rankedCandidates - 1]) {
                conditions.append("\(table).rowid >= ?")
                arguments += [oldest]
            }
            order = "score"
        } else if query.terms.contains(where: UnsegmentedScripts.contains) {
            // Short CJK words only: scan the messages holding such text, newest first.
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, 0.0 AS score
                FROM message_unsegmented u
                CROSS JOIN message m ON m.id = u.id
                CROSS JOIN conversation c ON c.id = m.conversation_id
                """
            likeTerms = query.terms
            order = "u.id DESC"
        } else {
            // No indexed term (emoji, symbols): scan from the newest message, stop at `limit` matches.
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, 0.0 AS score
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
            let roleText: String = row["role"] ?? ""
            return SearchHit(
                conversationId: row["conversation_id"], conversationTitle: row["title"] ?? "",
                messageId: row["id"], role: MessageRole(rawValue: roleText), field: .message,
                snippet: SnippetBuilder.snippet(of: content, terms: query.terms, markers: markers),
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
                SELECT c.id, c.title, bm25(conversation_words) AS score
                FROM conversation_words CROSS JOIN conversation c ON c.id = conversation_words.rowid
                """
            conditions.append("conversation_words MATCH ?")
            arguments += [words]
            order = "score"
            likeTerms = query.terms(.unsegmented) + query.terms(.scan)
        } else {
            select = "SELECT c.id, c.title, 0.0 AS score FROM conversation c"
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
            return SearchHit(
                conversationId: row["id"], conversationTitle: title, messageId: nil, role: nil,
                field: .title,
                snippet: SnippetBuilder.snippet(of: title, terms: query.terms, markers: markers, context: 200),
                rank: row["score"] ?? 0)
        }
    }
}
