/// The split a byte-level BPE applies to text before merging, chosen by `tokenizer.ggml.pre`.
/// Each style is the regex (or list of regexes applied one after another, as llama.cpp does) of the
/// model's `tokenizer.json`, written as hand-made scanners over Unicode scalars; the parts of a
/// chunk a regex does not match stay chunks of their own, so the split always covers the text.
enum PreTokenizer: String, Sendable {
    /// llama.cpp's `default`: `[\p{P}\$\+<=>\^~\|]+`, then GPT-2, then `\p{N}+`, then `[0-9][0-9][0-9]`.
    case llamaCppDefault = "default"
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3 = "llama-bpe"
    /// Qwen 2: the Llama 3 regex with single digits (`\p{N}`).
    case qwen2
    /// SmolLM (StarCoder family): every `\p{N}` alone, then the GPT-2 regex.
    case smollm

    /// The style for a `tokenizer.ggml.pre` value and a warning when the value is missing or unknown.
    static func named(_ name: String?) -> (PreTokenizer, warning: String?) {
        guard let name else {
            return (.llamaCppDefault, "tokenizer.ggml.pre is missing; using the \"default\" pre-tokenizer")
        }
        switch name {
        case "default": return (.llamaCppDefault, nil)
        case "gpt2", "gpt-2", "phi-2", "roberta-bpe", "mpt", "olmo", "jais": return (.gpt2, nil)
        case "llama-bpe", "llama3", "llama-v3", "falcon3", "dbrx", "smaug-bpe": return (.llama3, nil)
        case "qwen2", "stablelm2", "deepseek-r1-qwen": return (.qwen2, nil)
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone": return (.smollm, nil)
        default:
            return (.llamaCppDefault, "unknown tokenizer.ggml.pre \"\(name)\"; falling back to the \"default\" pre-tokenizer")
        }
    }

    private enum Stage {
        case punctuationRuns, gpt2, numberRuns, asciiDigitTriples, eachNumber
        case llama3(maxDigits: Int)
    }

    private var stages: [Stage] {
        switch self {
        case .llamaCppDefault: return [.punctuationRuns, .gpt2, .numberRuns, .asciiDigitTriples]
        case .gpt2: return [.gpt2]
        case .llama3: return [.llama3(maxDigits: 3)]
        case .qwen2: return [.llama3(maxDigits: 1)]
        case .smollm: return [.eachNumber, .gpt2]
        }
    }

    /// Splits scalars `0..<scalars.count` into pre-token ranges (scalar indices), in order.
    func split(_ scalars: UnsafeBufferPointer<UInt32>, _ classes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var chunks: [Range<Int>] = scalars.isEmpty ? [] : [0..<scalars.count]
        for stage in stages {
            var next: [Range<Int>] = []
            next.reserveCapacity(chunks.count * 2 + 16)
            var scanner = Scanner(s: scalars, c: classes, out: next)
            for r in chunks {
                switch stage {
                case .gpt2: scanner.gpt2(r)
                case .llama3(let maxDigits): scanner.llama3(r, maxDigits: maxDigits)
                case .eachNumber: scanner.runs(r, single: true) { c, _ in c & ScalarClass.number != 0 }
                case .numberRuns: scanner.runs(r, single: false) { c, _ in c & ScalarClass.number != 0 }
                case .punctuationRuns: scanner.punctuationRuns(r)
                case .asciiDigitTriples: scanner.asciiDigitTriples(r)
                }
            }
            chunks = scanner.out
        }
        return chunks
    }
}

/// The scanners. `cls(i)` is 0 outside the current chunk, the way a regex cannot look past it.
private struct Scanner {
    let s: UnsafeBufferPointer<UInt32>
    let c: UnsafeBufferPointer<UInt8>
    var out: [Range<Int>]
    var end = 0

    init(s: UnsafeBufferPointer<UInt32>, c: UnsafeBufferPointer<UInt8>, out: [Range<Int>]) {
        self.s = s
        self.c = c
        self.out = out
    }

    @inline(__always) func cls(_ i: Int) -> UInt8 { i < end ? c[i] : 0 }
    @inline(__always) func isLetter(_ i: Int) -> Bool { cls(i) & ScalarClass.letter != 0 }
    @inline(__always) func isNumber(_ i: Int) -> Bool { cls(i) & ScalarClass.number != 0 }
    @inline(__always) func isSpace(_ i: Int) -> Bool { cls(i) & ScalarClass.whitespace != 0 }
    /// `[^\s\p{L}\p{N}]` inside the chunk.
    @inline(__always) func isOther(_ i: Int) -> Bool { cls(i) & ScalarClass.other != 0 }

    @inline(__always) mutating func emit(_ from: Int, _ to: Int) { if to > from { out.append(from..<to) } }

    /// Length of the contraction (`'s`, `'t`, `'m`, `'d`, `'re`, `'ve`, `'ll`) at `p`, or 0.
    @inline(__always) func contraction(_ p: Int, caseInsensitive: Bool) -> Int {
        guard s[p] == 0x27, p + 1 < end else { return 0 }
        func low(_ v: UInt32) -> UInt32 { caseInsensitive && v >= 0x41 && v <= 0x5A ? v + 0x20 : v }
        let a = low(s[p + 1])
        if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return 2 }  // s t m d
        guard p + 2 < end else { return 0 }
        let b = low(s[p + 2])
        if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return 3 }  // re ve ll
        return 0
    }

    /// `\s+(?!\S)|\s+` at `p` (a whitespace run): the run, minus its last character when something
    /// follows inside the chunk (that character then prefixes the next word).
    @inline(__always) mutating func whitespaceRun(_ p: inout Int) {
        var q = p
        while isSpace(q) { q += 1 }
        if q - p > 1 && q < end { q -= 1 }
        if q == p { q = p + 1 }
        emit(p, q)
        p = q
    }

    mutating func gpt2(_ r: Range<Int>) {
        end = r.upperBound
        var p = r.lowerBound
        while p < end {
            let k = contraction(p, caseInsensitive: false)
            if k > 0 { emit(p, p + k); p += k; continue }
            let start = p
            let lead = s[p] == 0x20 ? 1 : 0
            let q = p + lead
            if isLetter(q) {
                p = q
                while isLetter(p) { p += 1 }
                emit(start, p); continue
            }
            if isNumber(q) {
                p = q
                while isNumber(p) { p += 1 }
                emit(start, p); continue
            }
            if isOther(q) {
                p = q
                while isOther(p) { p += 1 }
                emit(start, p); continue
            }
            whitespaceRun(&p)
        }
    }

    mutating func llama3(_ r: Range<Int>, maxDigits: Int) {
        end = r.upperBound
        var p = r.lowerBound
        while p < end {
            let k = contraction(p, caseInsensitive: true)
            if k > 0 { emit(p, p + k); p += k; continue }
            let v = s[p]
            let start = p
            let isNewline = v == 0x0A || v == 0x0D
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !isNewline && !isNumber(p) && (isLetter(p) || isLetter(p + 1)) {
                p += 1
                while isLetter(p) { p += 1 }
                emit(start, p); continue
            }
            // \p{N}{1,maxDigits}
            if isNumber(p) {
                var from = p
                while isNumber(p) {
                    p += 1
                    if p - from >= maxDigits { emit(from, p); from = p }
                }
                emit(from, p); continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let q = p + (v == 0x20 ? 1 : 0)
            if isOther(q) {
                p = q
                while isOther(p) { p += 1 }
                while p < end && (s[p] == 0x0A || s[p] == 0x0D) { p += 1 }
                emit(start, p); continue
            }
            // \s*[\r\n]+ : up to the last newline of the whitespace run
            var q2 = p
            var lastNewline = -1
            while isSpace(q2) {
                if s[q2] == 0x0A || s[q2] == 0x0D { lastNewline = q2 + 1 }
                q2 += 1
            }
            if lastNewline > 0 { emit(p, lastNewline); p = lastNewline; continue }
            whitespaceRun(&p)
        }
    }

    /// Runs of scalars matching `match` (each alone when `single`); the gaps between stay chunks.
    mutating func runs(_ r: Range<Int>, single: Bool, _ match: (UInt8, UInt32) -> Bool) {
        var gap = r.lowerBound
        var p = r.lowerBound
        while p < r.upperBound {
            if match(c[p], s[p]) {
                emit(gap, p)
                var q = p + 1
                if !single { while q < r.upperBound && match(c[q], s[q]) { q += 1 } }
                emit(p, q)
                p = q
                gap = q
            } else {
                p += 1
            }
        }
        emit(gap, r.upperBound)
    }

    /// `[\p{P}\$\+<=>\^~\|]+`
    mutating func punctuationRuns(_ r: Range<Int>) {
        runs(r, single: false) { c, v in
            c & ScalarClass.punctuation != 0
                || v == 0x24 || v == 0x2B || v == 0x3C || v == 0x3D || v == 0x3E || v == 0x5E || v == 0x7E || v == 0x7C
        }
    }

    /// `[0-9][0-9][0-9]`, leftmost first.
    mutating func asciiDigitTriples(_ r: Range<Int>) {
        func digit(_ i: Int) -> Bool { s[i] >= 0x30 && s[i] <= 0x39 }
        var gap = r.lowerBound
        var p = r.lowerBound
        while p < r.upperBound {
            if p + 2 < r.upperBound && digit(p) && digit(p + 1) && digit(p + 2) {
                emit(gap, p)
                emit(p, p + 3)
                p += 3
                gap = p
            } else {
                p += 1
            }
        }
        emit(gap, r.upperBound)
    }
}

extension PreTokenizer {
    /// The pre-tokens of `text` as strings (for tests and diagnostics).
    func pieces(_ text: String) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        let classes = scalars.map { ScalarClass.of($0) }
        let ranges = scalars.withUnsafeBufferPointer { s in classes.withUnsafeBufferPointer { c in split(s, c) } }
        return ranges.map { r in
            var out = String.UnicodeScalarView()
            for v in scalars[r] { if let u = Unicode.Scalar(v) { out.append(u) } }
            return String(out)
        }
    }
}
