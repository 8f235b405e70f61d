import ArgumentParser
import ChatCore
import Foundation
import PromptLab

/// `llamaterm compare`: one message (or dialog) under several system prompts, side by side.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Answer one message under several system prompts, with the same seed and options, side by side.",
        discussion: """
            Prompts run one after another in the order given: every --prompt-name first, then every
            --system. Without --seed one random seed is chosen and used for all of them (printed).
            The results are saved as linked conversations (the first prompt's, and a fork of it per
            other prompt) unless --no-save.
            """
    )

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(name: .customLong("prompt-name"), help: "A system prompt from the library (repeatable).")
    var promptNames: [String] = []

    @Option(name: .customLong("system"), help: "A system prompt given as text (repeatable).")
    var systems: [String] = []

    @Option(help: "The user message every prompt answers.")
    var message: String?

    @Option(help: "A dialog (Hugging Face chat JSON) ending with a user message, sent whole; its own system message is replaced.")
    var dialog: String?

    @OptionGroup var flags: GenerationFlags

    @Flag(help: "Print {\"results\": [...]} as JSON.")
    var json = false

    @Flag(help: "Print a Markdown table.")
    var markdown = false

    @Flag(name: .customLong("no-save"), help: "Do not save the results as conversations.")
    var noSave = false

    @OptionGroup var database: HistoryDatabaseOption

    /// `--kv-memory`, `--kv-disk-limit`: KV states kept for other prompts and between runs.
    @OptionGroup(title: "KV state")
    var kv: KVStateOptions

    func run() async throws {
        try await CLIErrors.report {
            guard (message == nil) != (dialog == nil) else { throw ValidationError("give exactly one of --message and --dialog") }
            guard !(json && markdown) else { throw ValidationError("give at most one of --json and --markdown") }
            let messages: [Message]
            if let message {
                guard !message.allSatisfy(\.isWhitespace) else { throw ValidationError("--message is empty") }
                messages = [.user(message)]
            } else {
                messages = try DialogFile.load(path: dialog ?? "").messages
            }
            let prompts = try LabPrompt.resolve(names: promptNames, texts: systems, library: PromptLibrary())
            let options = try flags.options()
            let run = try CompareRun(prompts: prompts, messages: messages, options: options)
            let store = noSave ? nil : try database.open()
            let lab = try LabModel(path: model ?? ModelLocator.defaultModelPath(), options: run.options, kvMemory: kv.memoryLimit, kvDisk: kv.disk)

            let progress = TerminalWidth.standardErrorIsTerminal && !json && !markdown
            let results = await run.run(using: lab.generator) { event in
                if progress, case .started(let i) = event {
                    CLIErrors.printNote("generating \(i + 1)/\(prompts.count): \(prompts[i].label)…")
                }
            }
            var ids: [Int64]?
            if let store {
                ids = try LabArchive(store: store, modelFile: lab.fileName, promptFormat: lab.formatName).save(results, of: run)
            }
            if json {
                print(CompareFormatter.json(results, seed: run.options.seed, conversationIds: ids))
            } else if markdown {
                print(CompareFormatter.markdown(results, seed: run.options.seed))
            } else {
                print(CompareFormatter.sideBySide(results, seed: run.options.seed, width: TerminalWidth.ofStandardOutput() ?? 100))
                if let ids { print("saved as conversation\(ids.count == 1 ? "" : "s") " + ids.map(String.init).joined(separator: ", ")) }
            }
            if let failed = results.first(where: { $0.error != nil }) {
                throw PromptLabError.generationFailed(label: failed.prompt.label, message: failed.error ?? "")
            }
        }
    }
}
