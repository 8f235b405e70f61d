import ChatCore
import Foundation
import GGUF
import Inference
import PromptLab
import Remote
import Storage
import TerminalUI
import Tokenizers

/// Runs the UI's effects against the chat core, the engine and the store. All of its state lives
/// on one serial queue; the UI loop hands it effects in order, and it answers by posting actions.
final class ChatController: @unchecked Sendable {
    let queue = DispatchQueue(label: "llamaterm.controller")
    let mailbox: Mailbox
    let modelPath: String
    let initialPromptName: String?
    let library = PromptLibrary()
    let store: any ConversationStore
    var engine: any ReplyEngine
    /// The local engine once loaded (nil for a remote backend).
    var inference: InferenceEngine? { queue.sync { loadedInference } }
    private var loadedInference: InferenceEngine?
    /// KV states kept in memory and on disk (`--kv-memory`, `--kv-disk-limit`).
    let kvMemory: Int?
    let kvDisk: KVDiskSettings?
    /// The server when replies come from a remote backend (`--backend tgi|openai`).
    let remote: RemoteSetup?
    var session: ChatSession?
    var modelName = ""
    /// The stored conversation on screen (nil until its first message is saved).
    var conversationID: Int64?
    /// The store's id of each message of `session.conversation`, in order.
    var messageIDs: [Int64] = []
    var generation: Task<Void, Never>?
    var writer: ReplyWriter?
    /// Set when the UI quit; nothing is posted after that.
    var finished = false

    init(mailbox: Mailbox, modelPath: String, promptName: String?, store: any ConversationStore, engine: any ReplyEngine,
         remote: RemoteSetup? = nil, kvMemory: Int? = nil, kvDisk: KVDiskSettings? = nil) {
        self.remote = remote
        self.kvMemory = kvMemory
        self.kvDisk = kvDisk
        self.mailbox = mailbox
        self.modelPath = modelPath
        self.initialPromptName = promptName
        self.store = store
        self.engine = engine
    }

    /// Loads the model's vocabulary, the prompt library and the saved conversations, and opens a
    /// first (new) conversation.
    func start() {
        queue.async { self.load() }
    }

    /// Called on the UI loop's thread for each effect.
    func perform(_ effect: Effect) {
        queue.async { self.handle(effect) }
    }

    /// Stops any generation, saves what it produced, and waits until the controller is idle.
    func shutdown() {
        queue.sync {
            finished = true
            generation?.cancel()
        }
        // Let a cancelled reply be saved (the engine stops within a token).
        for _ in 0..<50 where queue.sync(execute: { generation != nil }) { Thread.sleep(forTimeInterval: 0.02) }
    }

    func post(_ action: Action) {
        if !finished { mailbox.post(action) }
    }

    func notice(_ text: String, error: Bool = true) {
        post(.notice(text, isError: error))
    }

    func report(_ error: Error) { notice(String(describing: error)) }

    // MARK: loading

    private func load() {
        post(.modelLoading("loading \(URL(fileURLWithPath: modelPath).lastPathComponent)…"))
        postLibrary()
        refreshList(query: "")
        do {
            var s: ChatSession
            if let remote {
                // Remote: the server's window and the chosen token counter stand in for the model file.
                s = try ChatSession(metadata: remote.metadata, tokenizer: remote.tokenizer)
                if remote.tokenCounts.isEstimate { notice(remote.tokenCounts.description, error: false) }
            } else {
                let file = try GGUFFile(path: modelPath)
                let tokenizer = try Tokenizer(metadata: file.metadata, printingWarnings: false)
                // The engine's KV cache holds the default window (or the model's, when smaller).
                let window = min(ChatSession.contextLength(of: file.metadata) ?? 4096, GenerationOptions().contextSize)
                let inference = try InferenceEngine(modelPath: modelPath, contextLength: window, kvMemory: kvMemory, kvDisk: kvDisk)
                loadedInference = inference
                let mailbox = self.mailbox
                engine = LocalEngine(engine: inference, onPrefill: { report in
                    for note in report.notes { mailbox.post(.notice(note, isError: true)) }
                    if let line = Self.reuseLine(report) { mailbox.post(.notice(line, isError: false)) }
                })
                s = try ChatSession(metadata: file.metadata, tokenizer: tokenizer, contextLimit: inference.contextLength)
            }
            if let name = initialPromptName {
                do { s.useSystemPrompt(try library.load(name)) } catch { report(error) }
            }
            session = s
            modelName = remote.map(Self.remoteModelLabel) ?? URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
            post(.modelLoading(nil))
            post(.modelInfo(name: modelName, format: s.detection.format.rawValue))
            postSnapshot(title: "New conversation")
            postContext()
        } catch {
            post(.modelLoading(nil))
            post(.modelInfo(name: "no model", format: ""))
            engine = UnavailableEngine(reason: String(describing: error))
            notice("Cannot load the model: \(error)")
        }
    }

    func postLibrary() {
        let (prompts, problems) = library.list()
        post(.promptLibrary(prompts.map { PromptLibraryItem(name: $0.name, text: $0.text, isUser: $0.source == .user) }))
        if let p = problems.first { report(p) }
    }

    /// Sends the whole current conversation to the UI.
    func postSnapshot(title: String) {
        guard let s = session else { return }
        let messages = s.conversation.messages.enumerated().map { i, m in
            ChatMessageView(id: i < messageIDs.count ? messageIDs[i] : nil,
                            role: m.role == .user ? .user : (m.role == .assistant ? .assistant : .system), content: m.content)
        }
        post(.conversationLoaded(ConversationSnapshot(id: conversationID, title: title, messages: messages,
                                                      systemPrompt: s.conversation.systemPrompt,
                                                      systemPromptName: s.conversation.systemPromptName,
                                                      options: optionValues(s.options))))
    }

    func optionValues(_ o: GenerationOptions) -> [String: String] {
        var values: [String: String] = [:]
        for key in OptionKey.allCases { values[key.rawValue] = o.text(of: key) }
        return values
    }

    /// Tells the UI how full the context window is and which messages fell out of it.
    func postContext() {
        guard let s = session, let fitted = try? s.previewPrompt() else { return }
        let first = fitted.fit.firstTurn
        let outside = Set(s.conversation.messages.indices.filter { $0 / 2 < first })
        post(.contextUsage(ContextUsage(usedTokens: fitted.prompt.ids.count, windowTokens: fitted.fit.window, droppedTurns: first),
                           outsideContext: outside))
    }

    // MARK: effects

    private func handle(_ effect: Effect) {
        switch effect {
        case .send(let text):
            startTurn(text, userAlreadyStored: false)
        case .editAndResend(let text):
            guard var s = session else { return noModel() }
            var c = s.conversation
            if let i = c.messages.lastIndex(where: { $0.role == .user }) {
                c.messages.removeSubrange(i...)
                deleteStored(from: i)
            }
            do { try s.load(c); session = s } catch { return fail(error) }
            startTurn(text, userAlreadyStored: false)
        case .regenerate:
            guard var s = session else { return noModel() }
            var c = s.conversation
            guard let i = c.messages.lastIndex(where: { $0.role == .user }) else { return }
            let text = c.messages[i].content
            c.messages.removeSubrange(i...)
            deleteStored(from: i + 1)
            do { try s.load(c); session = s } catch { return fail(error) }
            startTurn(text, userAlreadyStored: true)
        case .stopGeneration:
            generation?.cancel()
        case .applySystemPrompt(let text, let name):
            session?.setSystemPrompt(text, name: name)
            if let id = conversationID {
                do {
                    try store.setSystemPrompt(id, SystemPromptChoice(text: text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text,
                                                                     libraryName: name))
                } catch { report(error) }
            }
            postContext()
        case .saveSystemPrompt(let name, let text):
            do {
                let title = text.split(separator: "\n").first.map { String($0.prefix(60)) } ?? name
                _ = try library.save(name: name, title: title, text: text)
                postLibrary()
            } catch { report(error) }
        case .saveOptions(let values):
            setOptions(values)
        case .newConversation:
            guard var s = session else { return }
            generation?.cancel()
            s.reset()
            session = s
            conversationID = nil
            messageIDs = []
            postContext()
        case .inspectPrompt(let next):
            inspect(nextMessage: next)
        case .loadConversation(let id):
            open(id)
        case .search(let query):
            refreshList(query: query)
        case .deleteConversation(let id):
            do { try store.deleteConversation(id) } catch { report(error) }
            if id == conversationID { conversationID = nil; messageIDs = []; session?.reset() }
            refreshList(query: "")
        case .renameConversation(let id, let title):
            do { try store.renameConversation(id, title: title) } catch { report(error) }
            refreshList(query: "")
        case .fork(let index):
            fork(at: index)
        case .copyToClipboard, .setTheme:
            break
        case .quit:
            finished = true
            generation?.cancel()
        case .compare(let effect):
            handleCompare(effect)
        case .openSideBySide(let variant):
            openSideBySide(variant)
        case .replay(let id, let name, let text):
            replay(id, prompt: LabPrompt(name: name, text: text))
        }
    }

    /// The status line while a reply starts: how much of the prompt is reused and from where
    /// (nil when nothing is).
    static func reuseLine(_ r: PrefillReport) -> String? {
        guard r.reusedTokens > 0 else { return nil }
        let from = r.reusedFrom == .disk ? "the saved state on disk" : "memory"
        return "reusing \(r.reusedTokens) of \(r.promptTokens) prompt tokens from \(from); evaluating \(r.promptTokens - r.reusedTokens)"
    }

    func noModel() { post(.replyFailed("No model is loaded")) }

    func fail(_ error: Error) { post(.replyFailed(String(describing: error))) }

    private func setOptions(_ values: [String: String]) {
        guard var s = session else { return noModel() }
        var o = s.options
        do {
            for (id, value) in values { try o.set(OptionKey(name: id), from: value) }
            try s.setOptions(o)
            session = s
            post(.modelInfo(name: modelName, format: s.detection.format.rawValue))
            if let id = conversationID {
                try store.setGenerationSettings(id, optionsJSON: Self.json(o), modelFile: modelName,
                                                promptFormat: s.detection.format.rawValue)
            }
            postContext()
        } catch { report(error) }
    }

    static func json(_ o: GenerationOptions) -> String? {
        (try? JSONEncoder().encode(o)).flatMap { String(data: $0, encoding: .utf8) }
    }

    private func inspect(nextMessage: String) {
        guard let s = session else { return noModel() }
        do {
            let fitted = try s.previewPrompt(nextMessage: nextMessage)
            var c = s.conversation
            if !c.awaitsReply { try c.appendUser(nextMessage) }
            let full = try s.renderer.render(system: c.systemPrompt, turns: c.turns[...])
            post(.promptInspection(PromptInspectionBuilder.build(prompt: fitted.prompt, full: full, firstKeptTurn: fitted.fit.firstTurn,
                                                                 formatName: s.detection.format.rawValue, window: fitted.fit.window)))
        } catch {
            report(error)
        }
    }
}

/// Text collected from a stream on another thread.
final class TextCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ s: String) { lock.lock(); value += s; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return value }
}

extension ChatController {
    /// How a remote model is named in the status bar and in each reply's provenance (`modelFile`):
    /// the model and the server's endpoint, e.g. `Llama-2-70b-chat @ http://gpu:8080/generate_stream`.
    static func remoteModelLabel(_ r: RemoteSetup) -> String {
        "\(r.modelName ?? "remote model") @ \(r.client.endpoint)"
    }
}
