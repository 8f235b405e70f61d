import Foundation
import GRDB

extension SQLiteConversationStore {
    public func createConversation(_ new: NewConversation) throws -> StoredConversation {
        try insertConversation(new, messages: [])
    }

    public func insertConversation(_ new: NewConversation, messages: [NewMessage]) throws -> StoredConversation {
        try write { db in
            let id = try Self.insertConversationRow(db, new)
            for message in messages {
                _ = try Self.insertMessage(db, conversationId: id, message, touchConversation: false)
            }
            return try Self.fetchConversation(db, id, path: path)
        }
    }

    public func renameConversation(_ id: Int64, title: String) throws {
        let clean = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.isEmpty else { throw StorageError.invalidArgument("a conversation title cannot be empty") }
        try updateConversation(id, sql: "title = ?, title_is_custom = 1, updated_at = ?", [clean, Timestamp.now()])
    }

    public func setSystemPrompt(_ id: Int64, _ choice: SystemPromptChoice) throws {
        try updateConversation(
            id, sql: "system_prompt = ?, system_prompt_name = ?, updated_at = ?",
            [choice.text, choice.text == nil ? nil : choice.libraryName, Timestamp.now()])
    }

    public func setGenerationSettings(_ id: Int64, optionsJSON: String?, modelFile: String?, promptFormat: String?) throws {
        try updateConversation(
            id, sql: "options_json = ?, model_file = ?, prompt_format = ?",
            [optionsJSON, modelFile, promptFormat])
    }

    public func setPinned(_ id: Int64, _ pinned: Bool) throws {
        try updateConversation(id, sql: "pinned = ?", [pinned])
    }

    public func setArchived(_ id: Int64, _ archived: Bool) throws {
        try updateConversation(id, sql: "archived = ?", [archived])
    }

    public func deleteConversation(_ id: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM conversation WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StorageError.conversationNotFound(id: id, path: path) }
        }
    }

    public func forkConversation(
        _ id: Int64, atMessage messageId: Int64, systemPrompt: SystemPromptChoice?, title: String?
    ) throws -> StoredConversation {
        try write { db in
            let source = try Self.fetchConversation(db, id, path: path)
            guard let position = try Int.fetchOne(
                db, sql: "SELECT position FROM message WHERE id = ? AND conversation_id = ?",
                arguments: [messageId, id])
            else { throw StorageError.messageNotFound(id: messageId, path: path) }
            let forkTitle = title?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
                ?? (source.title.isEmpty ? "Fork" : source.title + " (fork)")
            let new = NewConversation(
                title: forkTitle, titleIsCustom: true,
                systemPrompt: systemPrompt.map(\.text) ?? source.systemPrompt,
                systemPromptName: systemPrompt.map { $0.text == nil ? nil : $0.libraryName } ?? source.systemPromptName,
                optionsJSON: source.optionsJSON, modelFile: source.modelFile,
                promptFormat: source.promptFormat)
            let forkId = try Self.insertConversationRow(db, new)
            try db.execute(
                sql: "UPDATE conversation SET parent_conversation_id = ?, parent_message_id = ? WHERE id = ?",
                arguments: [id, messageId, forkId])
            let columns = (["position", "role", "content", "created_at", "updated_at", "token_count",
                            "status", "error_message"] + RowDecoding.provenanceColumns).joined(separator: ", ")
            try db.execute(
                sql: """
                    INSERT INTO message (conversation_id, \(columns))
                    SELECT ?, \(columns) FROM message
                    WHERE conversation_id = ? AND position <= ? ORDER BY position
                    """,
                arguments: [forkId, id, position])
            return try Self.fetchConversation(db, forkId, path: path)
        }
    }

    public func listConversations(_ query: ConversationListQuery) throws -> [ConversationSummary] {
        let limit = max(0, query.limit), offset = max(0, query.offset)
        let filter = query.includeArchived ? "" : "WHERE c.archived = 0"
        let order = query.pinnedFirst ? "c.pinned DESC, c.updated_at DESC, c.id DESC" : "c.updated_at DESC, c.id DESC"
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*,
                        (SELECT COUNT(*) FROM message m WHERE m.conversation_id = c.id) AS message_count,
                        (SELECT substr(m.content, 1, 120) FROM message m WHERE m.conversation_id = c.id
                            ORDER BY m.position DESC LIMIT 1) AS preview
                    FROM conversation c \(filter)
                    ORDER BY \(order) LIMIT ? OFFSET ?
                    """,
                arguments: [limit, offset]
            ).map { row in
                ConversationSummary(
                    conversation: RowDecoding.conversation(row),
                    messageCount: row["message_count"] ?? 0, lastMessagePreview: row["preview"])
            }
        }
    }

    public func conversationCount(includeArchived: Bool) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM conversation" + (includeArchived ? "" : " WHERE archived = 0")) ?? 0
        }
    }

    public func conversation(_ id: Int64) throws -> ConversationWithMessages {
        try read { db in
            let conversation = try Self.fetchConversation(db, id, path: path)
            let messages = try Row.fetchAll(
                db, sql: "SELECT * FROM message WHERE conversation_id = ? ORDER BY position", arguments: [id]
            ).map(RowDecoding.message)
            return ConversationWithMessages(conversation: conversation, messages: messages)
        }
    }

    public func allConversationIds() throws -> [Int64] {
        try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM conversation ORDER BY created_at, id") }
    }

    // MARK: - Helpers

    func updateConversation(_ id: Int64, sql: String, _ arguments: StatementArguments) throws {
        try write { db in
            try db.execute(sql: "UPDATE conversation SET \(sql) WHERE id = ?", arguments: arguments + [id])
            if db.changesCount == 0 { throw StorageError.conversationNotFound(id: id, path: path) }
        }
    }

    static func insertConversationRow(_ db: Database, _ new: NewConversation) throws -> Int64 {
        let created = new.createdAt.map(Timestamp.millis) ?? Timestamp.now()
        let updated = new.updatedAt.map(Timestamp.millis) ?? created
        let title = new.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        try db.execute(
            sql: """
                INSERT INTO conversation (title, title_is_custom, created_at, updated_at, system_prompt,
                    system_prompt_name, options_json, model_file, prompt_format, pinned, archived)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                title, new.titleIsCustom && !title.isEmpty, created, updated, new.systemPrompt,
                new.systemPrompt == nil ? nil : new.systemPromptName, new.optionsJSON, new.modelFile,
                new.promptFormat, new.pinned, new.archived,
            ])
        return db.lastInsertedRowID
    }

    static func fetchConversation(_ db: Database, _ id: Int64, path: String) throws -> StoredConversation {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM conversation WHERE id = ?", arguments: [id])
        else { throw StorageError.conversationNotFound(id: id, path: path) }
        return RowDecoding.conversation(row)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
