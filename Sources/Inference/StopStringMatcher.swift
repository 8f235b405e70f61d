/// Holds back generated text that might be the beginning of a stop string, so a stop string is
/// never emitted, not even partly. Used by the local generator and by the remote backends.
public struct StopStringMatcher: Sendable {
    public let stops: [String]
    public private(set) var pending = ""

    public init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// Adds `text`; returns what may be emitted now and whether a stop string was reached (then
    /// the text before it is returned and the rest dropped).
    public mutating func append(_ text: String) -> (emit: String, stopped: Bool) {
        if stops.isEmpty { return (text, false) }
        pending += text
        var earliest: String.Index?
        for s in stops {
            if let r = pending.range(of: s), earliest.map({ r.lowerBound < $0 }) ?? true { earliest = r.lowerBound }
        }
        if let cut = earliest {
            let out = String(pending[..<cut])
            pending = ""
            return (out, true)
        }
        // Keep the longest suffix that is a proper prefix of some stop string.
        var keep = 0
        for s in stops {
            var n = min(s.count - 1, pending.count)
            while n > keep {
                if pending.hasSuffix(s.prefix(n)) { keep = n; break }
                n -= 1
            }
        }
        let splitIndex = pending.index(pending.endIndex, offsetBy: -keep)
        let out = String(pending[..<splitIndex])
        pending = String(pending[splitIndex...])
        return (out, false)
    }

    /// Everything still held back (at the end of a generation that did not hit a stop string).
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
