import Foundation
import GRDB

extension SQLiteConversationStore {
    /// How many trigram tokens (about as many characters) `snippet()` shows around a match.
    static let snippetTokens = 48

    /// bm25 costs a few microseconds per matching message, so a word found in half of 200,000
    /// messages would take a second to rank. Ranking therefore considers the most recent
    /// `rankedCandidates` matching messages (all of them when there are fewer).
    static let rankedCandidates = 5000

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
        let select: String
        let order: String
        if let match = query.matchExpression {
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title,
                    snippet(message_fts, 0, ?, ?, ?, \(Self.snippetTokens)) AS snip, message_fts.rank AS score
                FROM message_fts
                JOIN message m ON m.id = message_fts.rowid
                JOIN conversation c ON c.id = m.conversation_id
                """
            arguments += [markers.open, markers.close, markers.ellipsis]
            conditions.append("message_fts MATCH ?")
            arguments += [match]
            // The rowid of the oldest message among the most recent `rankedCandidates` matches.
            if let oldest = try Int64.fetchOne(
                db, sql: "SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                arguments: [match, Self.rankedCandidates - 1]) {
                conditions.append("message_fts.rowid >= ?")
                arguments += [oldest]
            }
            order = "message_fts.rank"
        } else {
            // No term long enough for the index: scan from the newest message, stop at `limit`.
            select = """
                SELECT m.id, m.conversation_id, m.role, m.content, c.title, NULL AS snip, 0.0 AS score
                FROM message m JOIN conversation c ON c.id = m.conversation_id
                """
            order = "m.id DESC"
        }
        for term in query.shortTerms {
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

    private func titleHits(
        _ db: Database, _ query: SearchQuery, _ limit: Int, _ includeArchived: Bool, _ markers: SnippetMarkers
    ) throws -> [SearchHit] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        let select: String
        let order: String
        if let match = query.matchExpression {
            select = """
                SELECT c.id, c.title, highlight(conversation_fts, 0, ?, ?) AS snip, conversation_fts.rank AS score
                FROM conversation_fts JOIN conversation c ON c.id = conversation_fts.rowid
                """
            arguments += [markers.open, markers.close]
            conditions.append("conversation_fts MATCH ?")
            arguments += [match]
            order = "conversation_fts.rank"
        } else {
            select = "SELECT c.id, c.title, NULL AS snip, 0.0 AS score FROM conversation c"
            order = "c.updated_at DESC, c.id DESC"
        }
        for term in query.shortTerms {
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
