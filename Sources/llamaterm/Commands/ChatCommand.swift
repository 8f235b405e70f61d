import ArgumentParser
import ChatCore
import Foundation
import GGUF
import Inference
import Remote
import Storage
import Tokenizers

/// `llamaterm chat`: line-mode chat on standard input and output, for scripts and plain
/// terminals. Each line is a message (or a `/command`); the reply streams to standard output.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat in line mode on standard input/output (works with pipes).",
        discussion: "Type /help for the commands. `echo hi | llamaterm chat` answers once and exits.\n\n"
            + "The chat is saved in the conversation database (see `llamaterm history`) from its first message, "
            + "unless --no-save; --resume ID continues a saved conversation. /reset starts a new one.\n\n"
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

    @Flag(name: .customLong("no-save"), help: "Do not save this chat (nothing is written, no database is created).")
    var noSave = false

    @Option(help: ArgumentHelp("Continue the saved conversation ID (see `llamaterm history list`); its system prompt and options apply unless given here.", valueName: "ID"))
    var resume: Int64?

    @OptionGroup(title: "Conversation storage")
    var database: HistoryDatabaseOption

    /// `--kv-memory`, `--kv-disk-limit`: KV states kept for other prompts and between runs.
    @OptionGroup(title: "KV state")
    var kv: KVStateOptions

    func validate() throws {
        if [system != nil, systemFile != nil, promptName != nil].filter({ $0 }).count > 1 {
            throw ValidationError("use only one of --system, --system-file, --prompt-name")
        }
        if noSave && resume != nil {
            throw ValidationError("--resume continues a saved conversation: it cannot be used with --no-save")
        }
    }

    func run() async throws {
        try await CLIErrors.report {
            let library = PromptLibrary()
            _ = try flags.options()  // bad flags fail before anything is opened
            // The system prompt given here (it replaces a resumed conversation's).
            var givenSystem: (text: String, name: String?)?
            if let system { givenSystem = (system, nil) }
            if let systemFile {
                do { givenSystem = (try String(contentsOfFile: systemFile, encoding: .utf8), nil) } catch {
                    throw ChatError.promptFile(path: systemFile, message: "cannot read it as UTF-8 text")
                }
            }
            if let promptName {
                let p = try library.load(promptName)
                givenSystem = (p.text, p.name)
            }
            // Then the database: an unknown --resume ID fails before the model loads.
            let store = noSave ? nil : try database.open()
            var found: ResumedChat?
            if let resume, let store { found = ResumedChat(try store.conversation(resume)) }
            let resumed = found
            let options = try flags.options(over: resumed?.options ?? GenerationOptions())
            var conversation = resumed?.conversation ?? Conversation()
            let systemGiven = givenSystem != nil
            if let givenSystem {
                conversation.systemPrompt = givenSystem.text
                conversation.systemPromptName = givenSystem.name
            }
            let interactive = isatty(STDIN_FILENO) != 0
            /// The recorder for this chat (nil with --no-save); a resumed conversation gets the
            /// system prompt and settings now in force.
            func recorder(for session: ChatSession, model: (label: String, size: Int64?)) throws -> ChatRecorder? {
                guard let store else { return nil }
                let r = ChatRecorder(store: store, databasePath: store.path, modelLabel: model.label, modelSize: model.size,
                                     conversationID: resumed?.id)
                if let resumed {
                    if systemGiven { try r.systemPromptChanged(session) }
                    let c = resumed.stored.conversation
                    if c.optionsJSON != ChatController.json(session.options) || c.modelFile != model.label
                        || c.promptFormat != session.detection.format.rawValue {
                        try r.settingsChanged(session)
                    }
                }
                return r
            }
            func greeting() -> String {
                guard let store else { return "not saving this chat (--no-save)\n" }
                if let resumed { return resumed.summary(databasePath: store.path) }
                return "saving to \(store.path) from your first message (--no-save for a throwaway chat)\n"
            }
            if let setup = try await remote.connect() {
                // A server: its window and the chosen token counter stand in for the model file.
                let session = try ChatSession(metadata: setup.metadata, tokenizer: setup.tokenizer,
                                              conversation: conversation, options: options)
                if setup.tokenCounts.isEstimate { CLIErrors.printNote("note: " + setup.tokenCounts.description) }
                if session.detection.isFallback { CLIErrors.printNote("note: " + session.detection.reason) }
                var loop = LineChat(session: session, backend: RemoteBackend(client: setup.client), library: library,
                                    showStats: stats, interactive: interactive,
                                    recorder: try recorder(for: session, model: (ChatController.remoteModelLabel(setup), nil)),
                                    greeting: greeting())
                try await loop.run(modelName: "\(setup.modelName ?? "remote model") @ \(setup.client.endpoint)")
                return
            }
            let path = model ?? ModelLocator.defaultModelPath()
            let file = try GGUFFile(path: path)
            // The KV cache holds the window the options ask for (the model's own length caps it).
            let window = ContextBudget(modelContext: ChatSession.contextLength(of: file.metadata), options: options).window
            let engine = try InferenceEngine(modelPath: path, contextLength: window, threads: options.threads,
                                             kvMemory: kv.memoryLimit, kvDisk: kv.disk)
            let session = try ChatSession(metadata: file.metadata, tokenizer: engine.tokenizer, contextLimit: engine.contextLength,
                                          conversation: conversation, options: options)
            if session.detection.isFallback { CLIErrors.printNote("note: " + session.detection.reason) }
            var loop = LineChat(session: session, backend: engine, library: library, showStats: stats,
                                interactive: interactive,
                                recorder: try recorder(for: session, model: ChatRecorder.localModel(path: path)),
                                greeting: greeting(), onQuit: { await engine.saveState() })
            try await loop.run(modelName: file.metadata.string("general.name") ?? URL(fileURLWithPath: path).lastPathComponent)
        }
    }
}
