import ChatCore

/// One system prompt under test: from the library (by name) or typed text.
public struct LabPrompt: Sendable, Hashable, Codable {
    /// The library name, or nil for typed text.
    public var name: String?
    /// The prompt text ("" for none).
    public var text: String

    public init(name: String?, text: String) {
        self.name = name
        self.text = text
    }

    /// The library prompt `name`.
    public static func named(_ name: String, in library: PromptLibrary) throws -> LabPrompt {
        let p = try library.load(name)
        return LabPrompt(name: p.name, text: p.text)
    }

    /// How the prompt is labelled in tables and column headers: its name, else the start of its
    /// text in quotes, else "(no system prompt)".
    public var label: String {
        if let name { return name }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if oneLine.allSatisfy(\.isWhitespace) { return "(no system prompt)" }
        return "\"" + (oneLine.count > 24 ? oneLine.prefix(23) + "…" : oneLine) + "\""
    }

    /// Resolves the command line's prompts in order: every `--prompt-name` then every `--system`
    /// (argument parsers do not keep the interleaving), or, when both are empty, `fallbackNames`.
    public static func resolve(names: [String], texts: [String], library: PromptLibrary,
                               fallbackNames: [String] = []) throws -> [LabPrompt] {
        let useNames = names.isEmpty && texts.isEmpty ? fallbackNames : names
        let prompts = try useNames.map { try named($0, in: library) } + texts.map { LabPrompt(name: nil, text: $0) }
        guard !prompts.isEmpty else { throw PromptLabError.noSystemPrompts }
        return prompts
    }
}
