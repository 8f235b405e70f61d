import Foundation

/// The prompt formats a user can choose (`--format`, the options form). `auto` picks one from the
/// model's `tokenizer.chat_template`.
public enum PromptFormatName: String, Codable, Sendable, CaseIterable, Hashable {
    case auto
    case llama2
    case chatml
    case llama3
    case zephyr
    case mistral

    /// Parses a name, case-insensitively; throws `ChatError.unknownFormat`.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let v = PromptFormatName(rawValue: t) else { throw ChatError.unknownFormat(text) }
        self = v
    }
}
