import Tokenizers
/// What a sampler may consult besides the candidates: recent tokens, scratch space, randomness.
public struct SamplingContext {
    /// The most recent tokens (prompt and generated), oldest first.
    public var history: UnsafeBufferPointer<TokenID>
    /// Room for one float per vocabulary entry.
    public var scratch: UnsafeMutablePointer<Float>
    /// One flag per vocabulary entry, all false between uses.
    public var marks: UnsafeMutablePointer<Bool>
    /// The seeded random source.
    public var random: RandomSource
}

/// One stage of the sampling chain: narrows or reshapes the candidates.
public protocol Sampler {
    mutating func apply(to candidates: inout Candidates, context: inout SamplingContext)
}

/// Penalizes tokens seen in the last `lastN` tokens: positive logits are divided by `penalty`,
/// negative ones multiplied (each distinct token once), as in the CTRL paper and llama.cpp.
public struct RepetitionPenalty: Sampler {
    public var penalty: Float
    public var lastN: Int
    public init(penalty: Float, lastN: Int) { self.penalty = penalty; self.lastN = lastN }

    public mutating func apply(to c: inout Candidates, context: inout SamplingContext) {
        guard penalty != 1, lastN > 0, c.isIdentityOrdered else { return }
        let h = context.history
        let start = max(0, h.count - lastN)
        for i in start..<h.count {
            let t = Int(h[i])
            guard t >= 0, t < c.count, !context.marks[t] else { continue }
            context.marks[t] = true
            let l = c[t].logit
            c[t].logit = l > 0 ? l / penalty : l * penalty
        }
        for i in start..<h.count {
            let t = Int(h[i])
            if t >= 0, t < c.count { context.marks[t] = false }
        }
    }
}

/// Keeps the `k` most likely tokens (0 = all).
public struct TopK: Sampler {
    public var k: Int
    public init(_ k: Int) { self.k = k }
    public mutating func apply(to c: inout Candidates, context: inout SamplingContext) {
        if k > 0 && k < c.count { c.keepTop(k) }
    }
}

/// Keeps the smallest set of most likely tokens whose probabilities sum to at least `p`.
public struct TopP: Sampler {
    public var p: Float
    public init(_ p: Float) { self.p = p }
    public mutating func apply(to c: inout Candidates, context: inout SamplingContext) {
        guard p < 1, c.count > 1 else { return }
        c.sort()
        c.softmax(into: context.scratch)
        var sum: Float = 0
        for i in 0..<c.count {
            sum += context.scratch[i]
            if sum >= p { c.count = i + 1; return }
        }
    }
}

/// Keeps tokens whose probability is at least `p` times the most likely token's.
public struct MinP: Sampler {
    public var p: Float
    public init(_ p: Float) { self.p = p }
    public mutating func apply(to c: inout Candidates, context: inout SamplingContext) {
        guard p > 0, c.count > 1 else { return }
        let best = c[c.argmax()].logit
        let threshold = best + logf(p)
        var kept = 0
        for i in 0..<c.count where c[i].logit >= threshold {
            c[kept] = c[i]
            kept += 1
        }
        if kept != c.count { c.isIdentityOrdered = false }
        c.count = max(kept, 1)
    }
}

/// Divides logits by the temperature.
public struct Temperature: Sampler {
    public var temperature: Float
    public init(_ t: Float) { temperature = t }
    public mutating func apply(to c: inout Candidates, context: inout SamplingContext) {
        guard temperature > 0, temperature != 1 else { return }
        let inv = 1 / temperature
        for i in 0..<c.count { c[i].logit *= inv }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
