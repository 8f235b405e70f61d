import ArgumentParser
import ChatCore
import Foundation
import GGUF
import Inference
import Remote
import Tokenizers

/// `llamaterm chat`: line-mode chat on standard input and output, for scripts and plain
/// terminals. Each line is a message (or a `/command`); the reply streams to standard output.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat in line mode on standard input/output (works with pipes).",
        discussion: "Type /help for the commands. `echo hi | llamaterm chat` answers once and exits.\n\n"
            + SlashCommand.helpText
    )

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "The system prompt text.")
    var system: String?

    @Option(name: .customLong("system-file"), help: "Read the system prompt from a file.")
    var systemFile: String?

    @Option(name: .customLong("prompt-name"), help: "Use a system prompt from the library (see /prompts).")
    var promptName: String?

    @OptionGroup(title: "Generation options")
    var flags: GenerationFlags

    @Flag(help: "Print statistics after each reply (on standard error).")
    var stats = false

    /// `--backend tgi|openai --url URL ...`: chat with a model on a server.
    @OptionGroup(title: "Remote backend")
    var remote: BackendOptions

    func validate() throws {
        if [system != nil, systemFile != nil, promptName != nil].filter({ $0 }).count > 1 {
            throw ValidationError("use only one of --system, --system-file, --prompt-name")
        }
    }

    func run() async throws {
        try await CLIErrors.report {
            let options = try flags.options()
            let library = PromptLibrary()
            var conversation = Conversation()
            if let system { conversation.systemPrompt = system }
            if let systemFile {
                do { conversation.systemPrompt = try String(contentsOfFile: systemFile, encoding: .utf8) } catch {
                    throw ChatError.promptFile(path: systemFile, message: "cannot read it as UTF-8 text")
                }
            }
            if let promptName {
                let p = try library.load(promptName)
                conversation.systemPrompt = p.text
                conversation.systemPromptName = p.name
            }
            if let setup = try await remote.connect() {
                // A server: its window and the chosen token counter stand in for the model file.
                let session = try ChatSession(metadata: setup.metadata, tokenizer: setup.tokenizer,
                                              conversation: conversation, options: options)
                if setup.tokenCounts.isEstimate { CLIErrors.printNote("note: " + setup.tokenCounts.description) }
                if session.detection.isFallback { CLIErrors.printNote("note: " + session.detection.reason) }
                var loop = LineChat(session: session, backend: RemoteBackend(client: setup.client), library: library,
                                    showStats: stats, interactive: isatty(STDIN_FILENO) != 0)
                try await loop.run(modelName: "\(setup.modelName ?? "remote model") @ \(setup.client.endpoint)")
                return
            }
            let path = model ?? ModelLocator.defaultModelPath()
            let file = try GGUFFile(path: path)
            // The KV cache holds the window the options ask for (the model's own length caps it).
            let window = ContextBudget(modelContext: ChatSession.contextLength(of: file.metadata), options: options).window
            let engine = try InferenceEngine(modelPath: path, contextLength: window, threads: options.threads)
            let session = try ChatSession(metadata: file.metadata, tokenizer: engine.tokenizer, contextLimit: engine.contextLength,
                                          conversation: conversation, options: options)
            if session.detection.isFallback { CLIErrors.printNote("note: " + session.detection.reason) }
            var loop = LineChat(session: session, backend: engine, library: library, showStats: stats,
                                interactive: isatty(STDIN_FILENO) != 0)
            try await loop.run(modelName: file.metadata.string("general.name") ?? URL(fileURLWithPath: path).lastPathComponent)
        }
    }
}
