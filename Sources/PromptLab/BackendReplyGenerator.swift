import ChatCore
import Foundation
import GGUF
import Inference

/// `ReplyGenerator` on an inference `Backend`: renders the conversation in the model's prompt
/// format, fits it into the context window (dropping the oldest turns as the chat does), and
/// streams the reply with the options' sampling settings and seed.
public struct BackendReplyGenerator: ReplyGenerator {
    public let backend: any Backend
    public let metadata: GGUFMetadata
    public let tokenizer: any PromptTokenizer

    /// - Parameters:
    ///   - metadata: the model's GGUF metadata (chat template, context length).
    ///   - tokenizer: the model's tokenizer.
    public init(backend: any Backend, metadata: GGUFMetadata, tokenizer: any PromptTokenizer) {
        self.backend = backend
        self.metadata = metadata
        self.tokenizer = tokenizer
    }

    public func reply(to conversation: Conversation, options: GenerationOptions,
                      onText: (String) -> Void) async throws -> GeneratedReply {
        guard let last = conversation.messages.last, last.role == .user else {
            throw ChatError.invalidConversation("the conversation must end with a user message")
        }
        var history = conversation
        history.messages.removeLast()
        var session = try ChatSession(metadata: metadata, tokenizer: tokenizer, conversation: history, options: options)
        let fitted = try session.beginTurn(last.content)
        let parameters = LabParameters.make(options, maxTokens: fitted.fit.maxNewTokens, stopStrings: session.format.stopStrings)
        let clock = ContinuousClock()
        let start = clock.now
        var firstText: Duration?
        var text = ""
        var finished: GenerationStats?
        for try await event in backend.generate(prompt: fitted.prompt.ids, text: fitted.prompt.text, parameters: parameters) {
            switch event {
            case .prefilling:
                break
            case .text(let piece):
                if firstText == nil { firstText = clock.now - start }
                text += piece
                onText(piece)
            case .finished(let s):
                finished = s
            }
        }
        try Task.checkCancellation()
        guard let s = finished else { throw CancellationError() }
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let stats = TurnStats(promptTokens: s.promptTokens, reusedTokens: s.reusedTokens, generatedTokens: s.generatedTokens,
                              timeToFirstToken: firstText.map(seconds) ?? 0, prefillSeconds: s.prefillMilliseconds / 1000,
                              decodeSeconds: s.decodeMilliseconds / 1000, stopReason: LabParameters.describe(s.stopReason),
                              droppedTurns: fitted.fit.firstTurn, window: fitted.fit.window)
        return GeneratedReply(text: text, stats: stats)
    }
}

/// Chat options → engine parameters.
enum LabParameters {
    static func make(_ o: GenerationOptions, maxTokens: Int, stopStrings: [String]) -> GenerationParameters {
        GenerationParameters(maxTokens: maxTokens, temperature: Float(o.temperature), topK: o.topK, topP: Float(o.topP),
                             minP: Float(o.minP), repeatPenalty: Float(o.repeatPenalty), repeatLastN: o.repeatLastN,
                             seed: o.seed, stopStrings: stopStrings)
    }

    static func describe(_ r: StopReason) -> String {
        switch r {
        case .endOfTurn: return "end of turn"
        case .maxTokens: return "max tokens"
        case .stopString: return "stop string"
        case .cancelled: return "cancelled"
        case .contextFull: return "context full"
        }
    }
}
