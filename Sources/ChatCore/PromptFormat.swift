import Foundation
import GGUF

/// A chat prompt layout: how the system prompt and the turns become a sequence of special tokens
/// and text (`PromptPiece`s). `PromptRenderer` turns the pieces into token ids, so no format ever
/// tokenizes user text with special-token parsing: user text cannot inject a control token.
public protocol PromptFormat: Sendable {
    /// The format's name.
    var name: PromptFormatName { get }

    /// Lays out `system` and `turns`. The slice keeps its indices, which are the turns' positions
    /// in the whole conversation (turns before `turns.startIndex` were dropped by the budget).
    /// Every turn but the last has an assistant reply; the last has none and the layout ends with
    /// the header that asks the model to reply.
    func layout(system: String, turns: ArraySlice<Turn>) -> [PromptPiece]

    /// Marker strings of this format that deserve a warning when they appear in user or system text.
    var markers: [String] { get }

    /// Text that means the model has started writing the next turn itself; generation stops there.
    var stopStrings: [String] { get }
}

extension PromptFormat {
    /// Warnings for user or system text that contains prompt markers. Llama 2's `[INST]`,
    /// `[/INST]`, `<<SYS>>`, `<</SYS>>` always warn (Meta's reference refuses such dialogs); the
    /// format's own markers warn too. Such text is still sent as plain text, never as control tokens.
    public func injectionWarnings(system: String, turns: ArraySlice<Turn>) -> [String] {
        let watched = Array(Set(PromptFormats.llama2Markers + markers)).sorted()
        func found(_ text: String) -> [String] { watched.filter { text.contains($0) } }
        var out: [String] = []
        let s = found(system)
        if !s.isEmpty { out.append("the system prompt contains \(s.joined(separator: ", ")) (sent as plain text)") }
        for i in turns.indices {
            let u = found(turns[i].user)
            if !u.isEmpty { out.append("user message \(i + 1) contains \(u.joined(separator: ", ")) (sent as plain text)") }
            if let a = turns[i].assistant {
                let f = found(a)
                if !f.isEmpty { out.append("assistant message \(i + 1) contains \(f.joined(separator: ", ")) (sent as plain text)") }
            }
        }
        return out
    }
}

/// Helpers shared by the formats.
public enum PromptFormats {
    /// The Llama 2 prompt markers Meta's reference refuses in dialog text.
    public static let llama2Markers = ["[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"]

    /// Strips surrounding whitespace the way Python's `str.strip()` does.
    static func strip(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True for "" and whitespace-only text.
    static func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }

    /// The format for a name. `auto` is resolved with `ChatTemplateDetector` first.
    public static func make(_ name: PromptFormatName, chatTemplate: String? = nil) -> any PromptFormat {
        switch name {
        case .auto, .llama2: return Llama2Format()
        case .chatml: return ChatMLFormat(defaultSystem: chatTemplate.flatMap(ChatMLFormat.defaultSystem(inTemplate:)))
        case .llama3: return Llama3Format()
        case .zephyr: return ZephyrFormat()
        case .mistral: return MistralFormat()
        }
    }
}

extension PromptFormats {
    /// The format for a model: resolves `auto` from its metadata (chat template, vocabulary) and
    /// passes the chat template to formats that read it (ChatML's default system prompt).
    public static func forModel(_ choice: PromptFormatName, metadata: GGUFMetadata) -> (format: any PromptFormat, detection: ChatTemplateDetector.Detection) {
        let detection = ChatTemplateDetector.resolve(choice, metadata: metadata)
        return (make(detection.format, chatTemplate: metadata.string("tokenizer.chat_template")), detection)
    }
}
