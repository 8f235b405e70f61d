import Foundation

/// One check on a reply.
public enum ProbeCheck: Sendable, Hashable, Codable {
    /// The reply contains the text (case-insensitive).
    case contains(String)
    /// The reply does not contain the text (case-insensitive).
    case notContains(String)
    /// The reply matches the regular expression (`NSRegularExpression` syntax; `(?i)` for case-insensitive).
    case matches(String)
    /// The reply has at most this many words (runs of non-whitespace).
    case maxWords(Int)
    /// The reply, trimmed (and without a surrounding Markdown code fence), is valid JSON.
    case validJSON

    /// How the check reads in a table ("contains \"Paris\"").
    public var label: String {
        switch self {
        case .contains(let s): return "contains \"\(s)\""
        case .notContains(let s): return "not contains \"\(s)\""
        case .matches(let p): return "matches /\(p)/"
        case .maxWords(let n): return "at most \(n) words"
        case .validJSON: return "valid JSON"
        }
    }

    /// Evaluates the check on `reply`.
    public func evaluate(_ reply: String) -> CheckOutcome {
        switch self {
        case .contains(let s):
            let ok = reply.range(of: s, options: [.caseInsensitive]) != nil
            return CheckOutcome(check: self, passed: ok, detail: ok ? "" : "not found")
        case .notContains(let s):
            let ok = reply.range(of: s, options: [.caseInsensitive]) == nil
            return CheckOutcome(check: self, passed: ok, detail: ok ? "" : "found")
        case .matches(let pattern):
            guard let re = try? NSRegularExpression(pattern: pattern) else {
                return CheckOutcome(check: self, passed: false, detail: "invalid pattern")
            }
            let ok = re.firstMatch(in: reply, range: NSRange(reply.startIndex..., in: reply)) != nil
            return CheckOutcome(check: self, passed: ok, detail: ok ? "" : "no match")
        case .maxWords(let n):
            let count = Self.wordCount(reply)
            return CheckOutcome(check: self, passed: count <= n, detail: "\(count) words")
        case .validJSON:
            let body = Self.stripCodeFence(reply.trimmingCharacters(in: .whitespacesAndNewlines))
            let ok = !body.isEmpty && (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil
            return CheckOutcome(check: self, passed: ok, detail: ok ? "" : "not JSON")
        }
    }

    /// Words: maximal runs of non-whitespace characters.
    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace }).count
    }

    /// "```json\n...\n```" → "..."; anything else unchanged.
    static func stripCodeFence(_ s: String) -> String {
        guard s.hasPrefix("```"), s.hasSuffix("```"), s.count >= 6 else { return s }
        var inner = s.dropFirst(3).dropLast(3)
        if let nl = inner.firstIndex(of: "\n") { inner = inner[inner.index(after: nl)...] }
        return inner.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The result of one check on one reply.
public struct CheckOutcome: Sendable, Hashable, Codable {
    public var check: ProbeCheck
    public var passed: Bool
    /// Why it failed, or a measurement ("12 words"); may be empty.
    public var detail: String

    public init(check: ProbeCheck, passed: Bool, detail: String) {
        self.check = check
        self.passed = passed
        self.detail = detail
    }
}
