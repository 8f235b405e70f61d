import ArgumentParser
import ChatCore
import Foundation
import PromptLab

/// `llamaterm replay ID`: a saved conversation's user turns again, under another system prompt.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a saved conversation's user messages under another system prompt and/or options.",
        discussion: """
            The replies are generated afresh, each from the new conversation so far, and saved as a
            new conversation linked to the original (a fork of it); the original is not changed.
            Options start from the original's and the flags change them.
            """
    )

    @Argument(help: "The id of the saved conversation (see `llamaterm history list`).")
    var id: Int64

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(name: .customLong("prompt-name"), help: "The system prompt from the library.")
    var promptName: String?

    @Option(name: .customLong("system"), help: "The system prompt as text.")
    var system: String?

    @OptionGroup var flags: GenerationFlags

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var database: HistoryDatabaseOption

    /// `--kv-memory`, `--kv-disk-limit`: KV states kept for other prompts and between runs.
    @OptionGroup(title: "KV state")
    var kv: KVStateOptions

    func run() async throws {
        try await CLIErrors.report {
            guard (promptName == nil) != (system == nil) else { throw ValidationError("give exactly one of --prompt-name and --system") }
            let prompt = try LabPrompt.resolve(names: promptName.map { [$0] } ?? [], texts: system.map { [$0] } ?? [],
                                               library: PromptLibrary())[0]
            let store = try database.open()
            let original = try store.conversation(id).conversation
            var base = GenerationOptions()
            if let text = original.optionsJSON, let stored = try? JSONDecoder().decode(GenerationOptions.self, from: Data(text.utf8)) {
                base = stored
            }
            let options = try flags.options(over: base)
            let lab = try LabModel(path: model ?? ModelLocator.defaultModelPath(), options: options, kvMemory: kv.memoryLimit, kvDisk: kv.disk)
            let archive = LabArchive(store: store, modelFile: lab.fileName, promptFormat: lab.formatName)
            let (newID, result) = try await archive.replay(id, prompt: prompt, options: options, using: lab.generator)
            if json {
                print(ReplayJSON.render(originalID: id, newID: newID, prompt: prompt, result: result))
            } else {
                let users = result.conversation.messages.filter { $0.role == .user }
                for (i, reply) in result.replies.enumerated() {
                    print("── turn \(i + 1) ──")
                    print("user: " + (i < users.count ? users[i].content : ""))
                    print("\(prompt.label): " + reply.text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                print("replayed conversation \(id) under \(prompt.label) as conversation \(newID) (\(result.replies.count) replies)")
            }
        }
    }
}
