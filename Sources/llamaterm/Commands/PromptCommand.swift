import ArgumentParser
import ChatCore
import Foundation
import GGUF
import Tokenizers

/// `llamaterm prompt --dialog FILE.json [--model PATH] [--format F] [--ids]`: the chat prompt a
/// dialog becomes, as text (BOS/EOS shown as `<s>`/`</s>`) or as token ids on one JSON line.
struct PromptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Render a dialog (Hugging Face chat JSON) into the model's chat prompt.",
        discussion: """
            The dialog is a JSON array of {"role": "system"|"user"|"assistant", "content": ...}: an
            optional system message first, then alternating user and assistant messages ending with a
            user message. Only the model's vocabulary is read (a vocabulary-only GGUF works).
            """
    )

    @Option(help: "The GGUF model or vocabulary (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "Prompt format: \(PromptFormatName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = "auto"

    @Option(help: "The dialog JSON file.")
    var dialog: String

    @Flag(help: "Print the token ids as one JSON array line instead of the text.")
    var ids = false

    func run() async throws {
        try CLIErrors.report {
            let choice = try PromptFormatName(parsing: format)
            let conversation = try DialogFile.load(path: dialog)
            let file = try GGUFFile(path: model ?? ModelLocator.defaultModelPath())
            let tokenizer = try Tokenizer(metadata: file.metadata)
            let (promptFormat, detection) = PromptFormats.forModel(choice, metadata: file.metadata)
            if detection.isFallback { CLIErrors.printNote("note: " + detection.reason) }
            let renderer = PromptRenderer(format: promptFormat, tokenizer: tokenizer)
            let prompt = try renderer.render(system: conversation.systemPrompt, turns: conversation.turns[...])
            for w in prompt.warnings { CLIErrors.printNote("warning: " + w) }
            if ids {
                print("[" + prompt.ids.map { String($0) }.joined(separator: ", ") + "]")
            } else {
                print(prompt.text)
            }
        }
    }
}
