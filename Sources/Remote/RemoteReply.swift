import Inference

extension RemoteClient {
    /// Streams the reply to a chat prompt given as text (as the prompt inspector shows it): drops
    /// a leading `<s>` (servers add BOS themselves, and a second one changes the answer), and cuts
    /// the reply at the first of `parameters.stop` (held back until it cannot be the start of one),
    /// finishing with reason `stop_sequence` then. On failure the text that arrived has been
    /// yielded and the error follows.
    public func streamReply(promptText: String, parameters: RemoteParameters) -> AsyncThrowingStream<RemoteEvent, Error> {
        var sent = promptText
        if sent.hasPrefix("<s>") { sent.removeFirst(3) }
        let remote = stream(prompt: sent, parameters: parameters)
        let (out, continuation) = AsyncThrowingStream<RemoteEvent, Error>.makeStream()
        let stops = parameters.stop
        let task = Task {
            var filter = StopStringMatcher(stops: stops)
            var finish: RemoteFinish?
            var pieces = 0
            do {
                for try await event in remote {
                    switch event {
                    case .text(let t):
                        pieces += 1
                        let (emit, stopped) = filter.append(t)
                        if !emit.isEmpty { continuation.yield(.text(emit)) }
                        if stopped {
                            continuation.yield(.finished(RemoteFinish(reason: "stop_sequence", generatedTokens: pieces)))
                            continuation.finish()
                            return
                        }
                    case .finished(let f):
                        finish = f
                    }
                }
                let rest = filter.flush()
                if !rest.isEmpty { continuation.yield(.text(rest)) }
                continuation.yield(.finished(finish ?? RemoteFinish(reason: "unknown", generatedTokens: pieces)))
                continuation.finish()
            } catch {
                let rest = filter.flush()
                if !rest.isEmpty { continuation.yield(.text(rest)) }
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return out
    }
}
