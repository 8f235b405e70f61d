import ChatCore
import Foundation
import GGUF
import TerminalUI
import Tokenizers

/// Runs the UI's effects against the chat core and the engine. All of its state lives on one
/// serial queue; the UI loop hands it effects in order, and it answers by posting actions.
final class ChatController: @unchecked Sendable {
    private let queue = DispatchQueue(label: "llamaterm.controller")
    private let mailbox: Mailbox
    private let modelPath: String
    private let initialPromptName: String?
    private let library = PromptLibrary()
    private var engine: any ReplyEngine
    private var session: ChatSession?
    private var modelName = ""
    private var generation: Task<Void, Never>?
    /// Set when the UI quit; nothing is posted after that.
    private var finished = false

    init(mailbox: Mailbox, modelPath: String, promptName: String?, engine: any ReplyEngine) {
        self.mailbox = mailbox
        self.modelPath = modelPath
        self.initialPromptName = promptName
        self.engine = engine
    }

    /// Loads the model's vocabulary and the prompt library, then opens a first conversation.
    func start() {
        queue.async { self.load() }
    }

    /// Called on the UI loop's thread for each effect.
    func perform(_ effect: Effect) {
        queue.async { self.handle(effect) }
    }

    /// Stops any generation and waits until the controller is idle.
    func shutdown() {
        queue.sync {
            finished = true
            generation?.cancel()
        }
    }

    private func post(_ action: Action) {
        if !finished { mailbox.post(action) }
    }

    private func notice(_ text: String, error: Bool = true) {
        post(.notice(text, isError: error))
    }

    // MARK: loading

    private func load() {
        post(.modelLoading("loading \(URL(fileURLWithPath: modelPath).lastPathComponent)…"))
        postLibrary()
        do {
            let file = try GGUFFile(path: modelPath)
            let tokenizer = try Tokenizer(metadata: file.metadata)
            var s = try ChatSession(metadata: file.metadata, tokenizer: tokenizer)
            if let name = initialPromptName {
                do { s.useSystemPrompt(try library.load(name)) } catch { notice(String(describing: error)) }
            }
            session = s
            modelName = URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
            post(.modelLoading(nil))
            post(.modelInfo(name: modelName, format: s.detection.format.rawValue))
            postSnapshot(id: nil, title: "New conversation")
            postContext()
        } catch {
            post(.modelLoading(nil))
            post(.modelInfo(name: "no model", format: ""))
            engine = UnavailableEngine(reason: String(describing: error))
            notice("Cannot load the model: \(error)")
        }
    }

    private func postLibrary() {
        let (prompts, problems) = library.list()
        post(.promptLibrary(prompts.map { PromptLibraryItem(name: $0.name, text: $0.text, isUser: $0.source == .user) }))
        if let p = problems.first { notice(String(describing: p)) }
    }

    /// Sends the whole current conversation to the UI.
    private func postSnapshot(id: Int64?, title: String) {
        guard let s = session else { return }
        var values: [String: String] = [:]
        for key in OptionKey.allCases { values[key.rawValue] = s.options.text(of: key) }
        let messages = s.conversation.messages.map { m in
            ChatMessageView(role: m.role == .user ? .user : (m.role == .assistant ? .assistant : .system), content: m.content)
        }
        post(.conversationLoaded(ConversationSnapshot(id: id, title: title, messages: messages,
                                                      systemPrompt: s.conversation.systemPrompt,
                                                      systemPromptName: s.conversation.systemPromptName, options: values)))
    }

    /// Tells the UI how full the context window is and which messages fell out of it.
    private func postContext() {
        guard let s = session, let fitted = try? s.previewPrompt() else { return }
        let first = fitted.fit.firstTurn
        let outside = Set(s.conversation.messages.indices.filter { $0 / 2 < first })
        post(.contextUsage(ContextUsage(usedTokens: fitted.prompt.ids.count, windowTokens: fitted.fit.window, droppedTurns: first),
                           outsideContext: outside))
    }

    // MARK: effects

    private func handle(_ effect: Effect) {
        switch effect {
        case .send(let text): startTurn(text)
        case .editAndResend(let text):
            guard var s = session else { return noModel() }
            var c = s.conversation
            if let i = c.messages.lastIndex(where: { $0.role == .user }) { c.messages.removeSubrange(i...) }
            do { try s.load(c); session = s } catch { return fail(error) }
            startTurn(text)
        case .regenerate:
            guard var s = session else { return noModel() }
            var c = s.conversation
            guard let i = c.messages.lastIndex(where: { $0.role == .user }) else { return }
            let text = c.messages[i].content
            c.messages.removeSubrange(i...)
            do { try s.load(c); session = s } catch { return fail(error) }
            startTurn(text)
        case .stopGeneration:
            generation?.cancel()
        case .applySystemPrompt(let text, let name):
            session?.setSystemPrompt(text, name: name)
            postContext()
        case .saveSystemPrompt(let name, let text):
            do {
                let title = text.split(separator: "\n").first.map { String($0.prefix(60)) } ?? name
                _ = try library.save(name: name, title: title, text: text)
                postLibrary()
            } catch { notice(String(describing: error)) }
        case .saveOptions(let values):
            guard var s = session else { return noModel() }
            var o = s.options
            do {
                for (id, value) in values { try o.set(OptionKey(name: id), from: value) }
                try s.setOptions(o)
                session = s
                post(.modelInfo(name: modelName, format: s.detection.format.rawValue))
                postContext()
            } catch { notice(String(describing: error)) }
        case .newConversation:
            guard var s = session else { return }
            generation?.cancel()
            s.reset()
            session = s
            postContext()
        case .inspectPrompt(let next):
            inspect(nextMessage: next)
        case .loadConversation, .search, .deleteConversation, .renameConversation, .fork:
            notice("Saved conversations are not available in this build yet (the storage module has not landed)")
        case .copyToClipboard, .setTheme:
            break
        case .quit:
            finished = true
            generation?.cancel()
        case .compare(let effect):
            handleCompare(effect)
        }
    }

    private func noModel() { post(.replyFailed("No model is loaded")) }

    private func fail(_ error: Error) { post(.replyFailed(String(describing: error))) }

    private func inspect(nextMessage: String) {
        guard let s = session else { return noModel() }
        do {
            let fitted = try s.previewPrompt(nextMessage: nextMessage)
            var c = s.conversation
            if !c.awaitsReply { try c.appendUser(nextMessage) }
            let full = try s.renderer.render(system: c.systemPrompt, turns: c.turns[...])
            post(.promptInspection(PromptInspectionBuilder.build(full: full, firstKeptTurn: fitted.fit.firstTurn,
                                                                 formatName: s.detection.format.rawValue, window: fitted.fit.window)))
        } catch {
            notice(String(describing: error))
        }
    }

    // MARK: generation

    private func startTurn(_ text: String) {
        guard var s = session else { return noModel() }
        let fitted: FittedPrompt
        do {
            fitted = try s.beginTurn(text)
        } catch {
            return fail(error)
        }
        session = s
        postContext()
        let engine = self.engine, options = s.options, mailbox = self.mailbox
        let collected = TextCollector()
        let started = Date()
        generation = Task.detached {
            do {
                let stats = try await engine.generate(prompt: fitted.prompt.ids, options: options, maxNewTokens: fitted.fit.maxNewTokens) { piece, tokens in
                    collected.append(piece)
                    mailbox.post(.replyDelta(piece))
                    let seconds = Date().timeIntervalSince(started)
                    mailbox.post(.generationProgress(tokens: tokens, tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0))
                }
                self.queue.async { self.finishTurn(reply: collected.text, stats: stats) }
            } catch {
                self.queue.async { self.failTurn(reply: collected.text, error: error) }
            }
        }
    }

    private func finishTurn(reply: String, stats: TurnStats) {
        do { try session?.finishTurn(reply: reply, stats: stats) } catch { notice(String(describing: error)) }
        generation = nil
        post(.replyFinished(GenerationStats(tokens: stats.generatedTokens, tokensPerSecond: stats.decodeTokensPerSecond,
                                            promptTokens: stats.promptTokens)))
        postContext()
    }

    private func failTurn(reply: String, error: Error) {
        if reply.isEmpty { session?.abandonTurn() } else { try? session?.finishTurn(reply: reply, stats: nil) }
        generation = nil
        post(.replyFailed(String(describing: error)))
        postContext()
    }
}

/// Text collected from a stream on another thread.
final class TextCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ s: String) { lock.lock(); value += s; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return value }
}

// MARK: compare view (the columns run in `CompareRunner`)

extension ChatController {
    private func handleCompare(_ effect: CompareEffect) {
        switch effect {
        case .run(let request):
            guard let s = session else {
                for i in request.columns { post(.compare(.failed(column: i, message: "No model is loaded"))) }
                return
            }
            generation?.cancel()
            generation = CompareRunner.start(request, session: s, engine: engine, mailbox: mailbox)
        case .keep(let message, let reply, let systemPrompt, let systemPromptName):
            guard var s = session else { return noModel() }
            var c = s.conversation
            c.systemPrompt = systemPrompt
            c.systemPromptName = systemPromptName
            if c.awaitsReply { c.messages.removeLast() }
            c.messages += [.user(message), .assistant(reply)]
            do { try s.load(c); session = s } catch { return notice(String(describing: error)) }
            postContext()
        }
    }
}
