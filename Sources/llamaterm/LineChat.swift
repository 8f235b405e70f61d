import ArgumentParser
import ChatCore
import Foundation
import Inference
import Storage

/// The line-mode chat loop of `llamaterm chat`: reads lines, runs `/commands`, streams replies.
/// Ctrl-C stops a reply (the partial reply is kept); at the prompt it leaves. With a recorder the
/// conversation is saved as it goes (see `ChatRecorder`); without one (`--no-save`) nothing is.
struct LineChat<B: Backend> {
    var session: ChatSession
    let backend: B
    let library: PromptLibrary
    let showStats: Bool
    let interactive: Bool
    var recorder: ChatRecorder?
    /// Printed at the start in interactive use (where the chat is saved, what was resumed).
    var greeting: String?
    /// Run on leaving (the local engine saves its KV state); returns lines to print.
    var onQuit: () async -> [String] = { [] }

    /// Runs until end of input or `/quit`. In non-interactive use an error in any line makes the
    /// exit status 1 (after the remaining lines ran).
    mutating func run(modelName: String) async throws {
        let interrupts = InterruptHandler()
        if interactive {
            Self.out("llamaterm chat: \(modelName), format \(session.format.name.rawValue), window \(session.budget.window) tokens. /help for commands.\n")
            if let greeting { Self.out(greeting) }
        }
        var failed = false
        while true {
            if interactive { Self.out("> ") }
            guard let line = readLine(strippingNewline: true) else {
                if interactive { Self.out("\n") }
                break
            }
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                if let command = try SlashCommand.parse(line) {
                    if command == .quit { break }
                    try handle(command)
                } else {
                    try await reply(to: line, interrupts: interrupts)
                }
            } catch {
                CLIErrors.printError(error)
                failed = true
            }
        }
        for note in await onQuit() { CLIErrors.printNote(note) }
        if failed && !interactive { throw ExitCode.failure }
    }

    private mutating func reply(to line: String, interrupts: InterruptHandler) async throws {
        let prompt = try session.beginTurn(line)
        for w in prompt.prompt.warnings { CLIErrors.printNote("warning: " + w) }
        // The user's message is committed before generation starts.
        var saved: StreamingReply?
        if var recorder {
            do {
                let (reply, created) = try recorder.beginTurn(user: line, session: session)
                saved = reply
                self.recorder = recorder
                if created && interactive, let id = recorder.conversationID {
                    Self.out("saving as conversation \(id) in \(recorder.databasePath)\n")
                }
            } catch {
                session.abandonTurn()
                throw error
            }
        }
        let options = session.options, format = session.format, backend = self.backend
        let collected = TextCollector(), streaming = saved
        let task = Task {
            try await ChatSession.streamReply(prompt, options: options, format: format, backend: backend,
                                              onPrefill: { for note in $0.notes { CLIErrors.printNote(note) } }) {
                Self.out($0)
                collected.append($0)
                streaming?.append($0)
            }
        }
        interrupts.running { task.cancel() }
        defer { interrupts.running(nil) }
        let result: (reply: String, stats: TurnStats)
        do { result = try await task.value } catch {
            Self.out("\n")
            // Text that arrived before the failure stays, in the session and in the store
            // (status `error`); a failure before any text removes the turn from both.
            let partial = collected.text
            do {
                if partial.isEmpty {
                    session.abandonTurn()
                    if let saved { try recorder?.abandon(saved) }
                } else {
                    try session.finishTurn(reply: partial, stats: nil)
                    if let saved {
                        try recorder?.finish(saved, status: .error, errorMessage: String(describing: error), stats: nil, session: session)
                    }
                }
            } catch let storageError {
                CLIErrors.printError(storageError)
            }
            throw error
        }
        Self.out("\n")
        let cancelled = result.stats.stopReason == "cancelled"
        if result.reply.isEmpty && cancelled {
            session.abandonTurn()
            if let saved { try recorder?.abandon(saved) }
        } else {
            try session.finishTurn(reply: result.reply, stats: result.stats)
            if let saved {
                try recorder?.finish(saved, status: cancelled ? .cancelled : .complete, stats: result.stats, session: session)
            }
        }
        if showStats { FileHandle.standardError.write(Data("stats: \(result.stats.jsonLine)\n".utf8)) }
    }

    private mutating func handle(_ command: SlashCommand) throws {
        switch command {
        case .system(let text):
            session.setSystemPrompt(text)
            try recorder?.systemPromptChanged(session)
            Self.out(text.allSatisfy(\.isWhitespace) ? "system prompt cleared\n" : "system prompt set\n")
        case .prompts:
            let (prompts, problems) = library.list()
            for p in prompts {
                let mark = p.name == session.conversation.systemPromptName ? "*" : " "
                Self.out("\(mark) \(p.name.padding(toLength: max(16, p.name.count), withPad: " ", startingAt: 0))  \(p.title)\(p.source == .user ? " (yours)" : "")\n")
            }
            for e in problems { CLIErrors.printError(e) }
        case .prompt(let name):
            let p = try library.load(name)
            session.useSystemPrompt(p)
            try recorder?.systemPromptChanged(session)
            Self.out("system prompt: \(p.name) (\(p.title))\n")
        case let .set(key, value):
            try session.setOption(key, to: value)
            try recorder?.settingsChanged(session)
            var line = "\(key.rawValue) = \(session.options.text(of: key))"
            if key == .format { line += " (\(session.format.name.rawValue): \(session.detection.reason))" }
            Self.out(line + "\n")
        case .showOptions:
            for d in OptionDescriptor.all {
                Self.out("\(d.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(session.options.text(of: d.key))  (\(d.kind.allowedText))\n")
            }
        case .showPrompt:
            let awaiting = session.conversation.awaitsReply
            let preview = try session.previewPrompt()
            if !awaiting { Self.out("(the prompt your next message is sent in; it goes into the last, empty user part)\n") }
            Self.out(preview.prompt.inspection() + "\n")
            Self.out("window \(preview.fit.window) tokens, \(preview.fit.reserve) reserved for the reply\n")
        case .reset:
            session.reset()
            recorder?.startNewConversation()
            Self.out("conversation cleared\n")
        case .stats:
            Self.out((session.lastStats?.summary ?? "no reply yet") + "\n")
        case .help:
            Self.out(SlashCommand.helpText + "\n")
        case .quit:
            break
        }
    }

    /// Writes to standard output unbuffered (replies stream piece by piece).
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}

/// Ctrl-C: cancels the running reply if there is one, otherwise leaves (status 130).
final class InterruptHandler: @unchecked Sendable {
    private let lock = NSLock()
    private var cancel: (@Sendable () -> Void)?
    private let source: DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.fire() }
        source.resume()
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }

    /// Sets (or clears) what Ctrl-C cancels.
    func running(_ cancel: (@Sendable () -> Void)?) {
        lock.lock()
        self.cancel = cancel
        lock.unlock()
    }

    private func fire() {
        lock.lock()
        let c = cancel
        cancel = nil
        lock.unlock()
        if let c { c() } else {
            FileHandle.standardOutput.write(Data("\n".utf8))
            exit(130)
        }
    }
}
