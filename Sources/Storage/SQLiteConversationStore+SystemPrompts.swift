import Foundation
import GRDB

extension SQLiteConversationStore {
    @discardableResult
    public func upsertSystemPrompt(name: String, text: String, origin: SystemPromptOrigin) throws -> SystemPromptRecord {
        let clean = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.isEmpty else { throw StorageError.invalidArgument("a system prompt needs a name") }
        let now = Timestamp.now()
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO system_prompt (name, text, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET text = excluded.text, origin = excluded.origin,
                        updated_at = excluded.updated_at
                    WHERE text IS NOT excluded.text OR origin IS NOT excluded.origin
                    """,
                arguments: [clean, text, origin.rawValue, now, now])
            guard let record = try Self.fetchSystemPrompt(db, clean) else {
                throw StorageError.invalidArgument("system prompt \(clean) vanished while being saved")
            }
            return record
        }
    }

    public func systemPrompts() throws -> [SystemPromptRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM system_prompt ORDER BY name").map(Self.systemPromptRecord)
        }
    }

    public func systemPrompt(named name: String) throws -> SystemPromptRecord? {
        try read { db in try Self.fetchSystemPrompt(db, name) }
    }

    public func deleteSystemPrompt(named name: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM system_prompt WHERE name = ?", arguments: [name])
            if db.changesCount == 0 {
                throw StorageError.invalidArgument("no system prompt named \(name) in \(path)")
            }
        }
    }

    static func fetchSystemPrompt(_ db: Database, _ name: String) throws -> SystemPromptRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM system_prompt WHERE name = ?", arguments: [name])
            .map(systemPromptRecord)
    }

    static func systemPromptRecord(_ row: Row) -> SystemPromptRecord {
        let origin: String = row["origin"] ?? ""
        return SystemPromptRecord(
            name: row["name"] ?? "", text: row["text"] ?? "",
            origin: SystemPromptOrigin(rawValue: origin) ?? .user,
            createdAt: Timestamp.date(row["created_at"] ?? 0),
            updatedAt: Timestamp.date(row["updated_at"] ?? 0))
    }
}
