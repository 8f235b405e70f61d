import Foundation
import Tokenizers

/// Perplexity over a token sequence with llama.cpp's convention: the tokens are cut into chunks of
/// `contextLength`, each evaluated from an empty cache (its first token replaced by BOS when the
/// vocabulary adds one), and only the predictions in the second half of each chunk are scored.
public struct PerplexityEvaluator {
    /// The result after each chunk.
    public struct Progress: Sendable {
        public var chunk: Int
        public var chunkCount: Int
        /// Perplexity over the chunks so far.
        public var perplexity: Double
    }

    public let session: InferenceSession
    public let contextLength: Int
    /// The token that replaces each chunk's first token, if any.
    public let bos: TokenID?

    public init(session: InferenceSession, contextLength: Int, bos: TokenID?) throws {
        guard contextLength >= 4 else { throw InferenceError.invalidParameter(name: "ctx", message: "\(contextLength) is too small (at least 4)") }
        guard contextLength <= session.cache.capacity else {
            throw InferenceError.invalidParameter(name: "ctx", message: "\(contextLength) exceeds the session's context of \(session.cache.capacity)")
        }
        self.session = session
        self.contextLength = contextLength
        self.bos = bos
    }

    /// Scores `tokens`; `progress` is called after each chunk. Throws when fewer than two chunks'
    /// worth of tokens are given... (llama.cpp asks for 2·ctx; one full chunk is the minimum here).
    public func evaluate(_ tokens: [TokenID], progress: (Progress) -> Void = { _ in }) throws -> Double {
        let n = contextLength
        let chunks = tokens.count / n
        guard chunks >= 1 else {
            throw InferenceError.invalidParameter(name: "file", message: "\(tokens.count) tokens are fewer than one chunk of \(n)")
        }
        let vocab = session.config.vocabularySize
        let first = n / 2
        var nll = 0.0
        var count = 0
        var chunkTokens = [TokenID](repeating: 0, count: n)
        for c in 0..<chunks {
            for i in 0..<n { chunkTokens[i] = tokens[c * n + i] }
            if let bos { chunkTokens[0] = bos }
            session.cache.clear()
            try session.evaluate(chunkTokens, onLogits: { i, row in
                guard i >= first, i < n - 1 else { return }
                let target = Int(tokens[c * n + i + 1])
                var maxLogit = -Float.infinity
                for j in 0..<vocab { maxLogit = max(maxLogit, row[j]) }
                var sum = 0.0
                for j in 0..<vocab { sum += exp(Double(row[j] - maxLogit)) }
                nll += log(sum) - Double(row[target] - maxLogit)
                count += 1
            })
            progress(Progress(chunk: c + 1, chunkCount: chunks, perplexity: exp(nll / Double(count))))
        }
        return exp(nll / Double(count))
    }
}
