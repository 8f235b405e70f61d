import ChatCore
import Foundation
import PromptLab
import TerminalUI

/// Runs the compare view's columns (`CompareEffect.run`) one after another on the UI's engine,
/// posting `Action.compare` news to the UI loop.
enum CompareRunner {
    /// Starts the request's columns in a task (cancel it to stop).
    static func start(_ request: CompareRequest, session: ChatSession, engine: any ReplyEngine, mailbox: Mailbox) -> Task<Void, Never> {
        Task.detached {
            let prompts = request.prompts.map { LabPrompt(name: $0.name, text: $0.text) }
            var options = session.options
            // One seed for every column, so the prompts are the only difference; a regenerated
            // column gets the same seed again (and so the same reply).
            if options.seed == nil { options.seed = CompareSeeds.seed(for: request) }
            let run: CompareRun
            do {
                let history = request.history.map { $0.role == .user ? Message.user($0.text) : Message.assistant($0.text) }
                run = try CompareRun(prompts: prompts, messages: history + [.user(request.message)], options: options)
            } catch {
                for i in request.columns { mailbox.post(.compare(.failed(column: i, message: String(describing: error)))) }
                return
            }
            let generator = EngineReplyGenerator(engine: engine, template: session)
            for (n, i) in request.columns.enumerated() where prompts.indices.contains(i) {
                if Task.isCancelled {
                    for j in request.columns[n...] { mailbox.post(.compare(.failed(column: j, message: "stopped"))) }
                    return
                }
                let result = await run.runOne(i, using: generator) { event in
                    switch event {
                    case .started(let c): mailbox.post(.compare(.started(column: c)))
                    case .text(let c, let t): mailbox.post(.compare(.delta(column: c, text: t)))
                    case .finished: break
                    }
                }
                if let e = result.error {
                    mailbox.post(.compare(.failed(column: i, message: Task.isCancelled ? "stopped" : e)))
                } else {
                    mailbox.post(.compare(.finished(column: i, stats: ReplyStats(
                        tokens: result.tokens, tokensPerSecond: result.tokensPerSecond, promptTokens: result.stats?.promptTokens ?? 0))))
                }
            }
        }
    }
}

/// The seed of a comparison whose options leave it random: fixed per message, so regenerating a
/// column repeats its reply and reopening the same comparison repeats all of them.
enum CompareSeeds {
    static func seed(for request: CompareRequest) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in request.message.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h % UInt64(Int32.max)
    }
}

/// `ReplyGenerator` on the UI's `ReplyEngine`: the prompt is built by a copy of the chat session
/// (same model, format and budget) holding the conversation to answer.
struct EngineReplyGenerator: ReplyGenerator {
    let engine: any ReplyEngine
    let template: ChatSession

    func reply(to conversation: Conversation, options: GenerationOptions, onText: (String) -> Void) async throws -> GeneratedReply {
        var history = conversation
        guard let last = history.messages.popLast(), last.role == .user else {
            throw ChatError.invalidConversation("the conversation must end with a user message")
        }
        var s = template
        try s.load(history)
        s.setSystemPrompt(conversation.systemPrompt, name: conversation.systemPromptName)
        try s.setOptions(options)
        let fitted = try s.beginTurn(last.content)
        let collected = TextCollector()
        // The engine calls back only while `generate` runs, in order, while this task waits, so
        // handing it the non-escaping `onText` is safe.
        let stats = try await withoutActuallyEscaping(onText) { callback in
            let box = UncheckedCallback(callback)
            return try await engine.generate(prompt: fitted.prompt.ids, promptText: fitted.prompt.text, options: options, maxNewTokens: fitted.fit.maxNewTokens,
                                          stopStrings: s.format.stopStrings) { piece, _ in
                collected.append(piece)
                box.call(piece)
            }
        }
        return GeneratedReply(text: collected.text, stats: stats)
    }
}

/// Carries a callback into the engine's `@Sendable` closure (see `EngineReplyGenerator`).
private final class UncheckedCallback: @unchecked Sendable {
    let call: (String) -> Void
    init(_ call: @escaping (String) -> Void) { self.call = call }
}
