import Foundation

/// The JSON export: Hugging Face's chat format (`{"messages": [{"role", "content"}, ...]}`, which
/// tools like `transformers`' chat templates read as is) plus our metadata under `"llamaterm"`.
///
/// When the conversation has a system prompt it is the first entry of `messages` (role
/// `system`), as in Hugging Face's format. `llamaterm.messages` has one entry per entry of
/// `messages`, in the same order; the system prompt's entry has `"kind": "system_prompt"`.
struct ChatJSONFile: Codable, Equatable {
    var messages: [ChatJSONMessage]
    var llamaterm: ChatJSONMetadata?
}

struct ChatJSONMessage: Codable, Equatable {
    var role: String
    var content: String
}

struct ChatJSONMetadata: Codable, Equatable {
    static let currentVersion = 1

    var version: Int
    var title: String
    var title_is_custom: Bool?
    var created: String?
    var updated: String?
    var system_prompt_name: String?
    var options: JSONValue?
    var model: String?
    var prompt_format: String?
    var pinned: Bool?
    var archived: Bool?
    var messages: [ChatJSONMessageMetadata]?
}

struct ChatJSONMessageMetadata: Codable, Equatable {
    /// "system_prompt" for the conversation's system prompt; absent for ordinary messages.
    var kind: String?
    var created: String?
    var updated: String?
    var status: String?
    var token_count: Int?
    var error: String?
    var provenance: ChatJSONProvenance?
}

struct ChatJSONProvenance: Codable, Equatable {
    var model_file: String?
    var model_size: Int64?
    var prompt_format: String?
    var options: JSONValue?
    var seed: UInt64?
    var system_prompt_hash: String?
    var prompt_tokens: Int?
    var prefill_tokens: Int?
    var prefill_seconds: Double?
    var decode_tokens: Int?
    var decode_seconds: Double?
}
