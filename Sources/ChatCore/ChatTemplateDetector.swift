import GGUF

/// Recognises a GGUF `tokenizer.chat_template` by its distinctive markers (no Jinja engine needed)
/// and resolves the `auto` prompt format for a model.
public enum ChatTemplateDetector {
    /// The outcome of `auto`: the format and a sentence saying why.
    public struct Detection: Sendable, Hashable {
        public var format: PromptFormatName
        /// Why this format: "from the model's chat template" or the fallback's reason.
        public var reason: String
        /// True when no chat template was recognised and a fallback was used.
        public var isFallback: Bool
    }

    /// The prompt format name for a Jinja chat template, or nil when it is not recognised.
    public static func detect(_ template: String) -> String? {
        format(ofTemplate: template)?.rawValue
    }

    /// The prompt format for a Jinja chat template, or nil when it is not recognised.
    public static func format(ofTemplate template: String) -> PromptFormatName? {
        if template.contains("<|im_start|>") { return .chatml }
        if template.contains("<|start_header_id|>") { return .llama3 }
        if template.contains("<|user|>") && template.contains("<|assistant|>") && !template.contains("<|end|>") {
            return .zephyr
        }
        if template.contains("[INST]") {
            return template.contains("<<SYS>>") ? .llama2 : .mistral
        }
        return nil
    }

    /// Resolves a format choice for a model: a concrete choice stays; `auto` reads the chat
    /// template, and without a recognised one falls back by vocabulary (Llama 3's or ChatML's
    /// control tokens when present, else Llama 2 for a SentencePiece Llama vocabulary), saying so.
    public static func resolve(_ choice: PromptFormatName, metadata: GGUFMetadata) -> Detection {
        if choice != .auto {
            return Detection(format: choice, reason: "chosen", isFallback: false)
        }
        let template = metadata.string("tokenizer.chat_template")
        if let template, let f = format(ofTemplate: template) {
            return Detection(format: f, reason: "detected from the model's chat template", isFallback: false)
        }
        let what = template == nil ? "the model has no chat template" : "the model's chat template is not one llamaterm recognises"
        let model = metadata.string("tokenizer.ggml.model")
        let tokens = Set(metadata.strings("tokenizer.ggml.tokens")?.filter { $0.hasPrefix("<|") } ?? [])
        if tokens.contains("<|start_header_id|>") {
            return Detection(format: .llama3, reason: "\(what); using llama3 (its vocabulary has <|start_header_id|>)", isFallback: true)
        }
        if tokens.contains("<|im_start|>") {
            return Detection(format: .chatml, reason: "\(what); using chatml (its vocabulary has <|im_start|>)", isFallback: true)
        }
        if model == "llama" {
            return Detection(format: .llama2, reason: "\(what); using llama2 for its SentencePiece Llama vocabulary", isFallback: true)
        }
        return Detection(format: .llama2, reason: "\(what); using llama2 (choose another with --format)", isFallback: true)
    }
}
