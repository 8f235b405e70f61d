import Foundation
import GRDB

/// Reading records out of rows (column names as in `StorageMigrations`).
enum RowDecoding {
    static func conversation(_ row: Row) -> StoredConversation {
        StoredConversation(
            id: row["id"],
            title: row["title"] ?? "",
            titleIsCustom: row["title_is_custom"] ?? false,
            createdAt: Timestamp.date(row["created_at"] ?? 0),
            updatedAt: Timestamp.date(row["updated_at"] ?? 0),
            systemPrompt: row["system_prompt"],
            systemPromptName: row["system_prompt_name"],
            optionsJSON: row["options_json"],
            modelFile: row["model_file"],
            promptFormat: row["prompt_format"],
            parentConversationId: row["parent_conversation_id"],
            parentMessageId: row["parent_message_id"],
            pinned: row["pinned"] ?? false,
            archived: row["archived"] ?? false)
    }

    static func message(_ row: Row) -> StoredMessage {
        let seed: Int64? = row["seed"]
        let provenance = ReplyProvenance(
            modelFile: row["model_file"], modelSize: row["model_size"],
            promptFormat: row["prompt_format"], optionsJSON: row["options_json"],
            seed: seed.map { UInt64(bitPattern: $0) }, systemPromptHash: row["system_prompt_hash"],
            promptTokens: row["prompt_tokens"], prefillTokens: row["prefill_tokens"],
            prefillSeconds: row["prefill_seconds"], decodeTokens: row["decode_tokens"],
            decodeSeconds: row["decode_seconds"])
        let roleText: String = row["role"] ?? ""
        let statusText: String = row["status"] ?? ""
        return StoredMessage(
            id: row["id"],
            conversationId: row["conversation_id"],
            position: row["position"] ?? 0,
            role: MessageRole(rawValue: roleText) ?? .user,
            content: row["content"] ?? "",
            createdAt: Timestamp.date(row["created_at"] ?? 0),
            updatedAt: Timestamp.date(row["updated_at"] ?? 0),
            tokenCount: row["token_count"],
            status: MessageStatus(rawValue: statusText) ?? .complete,
            errorMessage: row["error_message"],
            provenance: provenance.isEmpty ? nil : provenance)
    }

    /// The provenance columns and their values, in the order of `provenanceColumns`.
    static let provenanceColumns = [
        "model_file", "model_size", "prompt_format", "options_json", "seed", "system_prompt_hash",
        "prompt_tokens", "prefill_tokens", "prefill_seconds", "decode_tokens", "decode_seconds",
    ]

    static func provenanceValues(_ p: ReplyProvenance?) -> [(any DatabaseValueConvertible)?] {
        guard let p else { return Array(repeating: nil, count: provenanceColumns.count) }
        return [
            p.modelFile, p.modelSize, p.promptFormat, p.optionsJSON,
            p.seed.map { Int64(bitPattern: $0) }, p.systemPromptHash, p.promptTokens,
            p.prefillTokens, p.prefillSeconds, p.decodeTokens, p.decodeSeconds,
        ]
    }
}
