import Foundation
import GRDB

extension SQLiteConversationStore {
    public func appendMessage(to conversationId: Int64, _ message: NewMessage) throws -> StoredMessage {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM conversation WHERE id = ?", arguments: [conversationId]) != nil
            else { throw StorageError.conversationNotFound(id: conversationId, path: path) }
            let id = try Self.insertMessage(db, conversationId: conversationId, message, touchConversation: true)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [id])
            else { throw StorageError.messageNotFound(id: id, path: path) }
            return RowDecoding.message(row)
        }
    }

    public func beginReply(in conversationId: Int64, provenance: ReplyProvenance?) throws -> StoredMessage {
        try appendMessage(
            to: conversationId, NewMessage(role: .assistant, content: "", status: .partial, provenance: provenance))
    }

    public func updateReply(_ messageId: Int64, content: String, status: MessageStatus, tokenCount: Int?) throws {
        let now = Timestamp.now()
        try write { db in
            try db.execute(
                sql: """
                    UPDATE message SET content = ?, status = ?, token_count = coalesce(?, token_count),
                        updated_at = ? WHERE id = ?
                    """,
                arguments: [content, status.rawValue, tokenCount, now, messageId])
            try touchConversation(of: messageId, db: db, now: now)
        }
    }

    public func finishReply(
        _ messageId: Int64, content: String, status: MessageStatus, tokenCount: Int?,
        errorMessage: String?, provenance: ReplyProvenance?
    ) throws {
        let now = Timestamp.now()
        try write { db in
            var sql = """
                UPDATE message SET content = ?, status = ?, token_count = coalesce(?, token_count),
                    error_message = ?, updated_at = ?
                """
            var arguments: StatementArguments = [content, status.rawValue, tokenCount, errorMessage, now]
            if let provenance {
                sql += ", " + RowDecoding.provenanceColumns.map { "\($0) = ?" }.joined(separator: ", ")
                arguments += StatementArguments(RowDecoding.provenanceValues(provenance))
            }
            try db.execute(sql: sql + " WHERE id = ?", arguments: arguments + [messageId])
            try touchConversation(of: messageId, db: db, now: now)
        }
    }

    public func deleteMessage(_ messageId: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM message WHERE id = ?", arguments: [messageId])
            if db.changesCount == 0 { throw StorageError.messageNotFound(id: messageId, path: path) }
        }
    }

    /// After changing message `messageId` (checked to exist): moves its conversation's update time.
    private func touchConversation(of messageId: Int64, db: Database, now: Int64) throws {
        if db.changesCount == 0 { throw StorageError.messageNotFound(id: messageId, path: path) }
        try db.execute(
            sql: "UPDATE conversation SET updated_at = ? WHERE id = (SELECT conversation_id FROM message WHERE id = ?)",
            arguments: [now, messageId])
    }

    /// Inserts `message` after the conversation's last one; the first user message titles an
    /// untitled conversation. Returns the new message's id.
    static func insertMessage(
        _ db: Database, conversationId: Int64, _ message: NewMessage, touchConversation: Bool
    ) throws -> Int64 {
        let position = try Int.fetchOne(
            db, sql: "SELECT coalesce(max(position) + 1, 0) FROM message WHERE conversation_id = ?",
            arguments: [conversationId]) ?? 0
        let created = message.createdAt.map(Timestamp.millis) ?? Timestamp.now()
        let updated = message.updatedAt.map(Timestamp.millis) ?? created
        let columns = ["conversation_id", "position", "role", "content", "created_at", "updated_at",
                       "token_count", "status", "error_message"] + RowDecoding.provenanceColumns
        let values: [(any DatabaseValueConvertible)?] = [
            conversationId, position, message.role.rawValue, message.content, created, updated,
            message.tokenCount, message.status.rawValue, message.errorMessage,
        ] + RowDecoding.provenanceValues(message.provenance)
        try db.execute(
            sql: "INSERT INTO message (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments(values))
        let id = db.lastInsertedRowID
        if message.role == .user {
            let title = TitleMaker.title(from: message.content)
            if !title.isEmpty {
                try db.execute(
                    sql: "UPDATE conversation SET title = ? WHERE id = ? AND title = '' AND title_is_custom = 0",
                    arguments: [title, conversationId])
            }
        }
        if touchConversation {
            try db.execute(
                sql: "UPDATE conversation SET updated_at = max(updated_at, ?) WHERE id = ?",
                arguments: [updated, conversationId])
        }
        return id
    }
}

/// The automatic title of a conversation: the first non-empty line of its first user message,
/// whitespace collapsed, at most 60 characters.
enum TitleMaker {
    static let maxLength = 60

    static func title(from text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline)
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            .first { !$0.isEmpty } ?? ""
        guard line.count > maxLength else { return line }
        return String(line.prefix(maxLength - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
