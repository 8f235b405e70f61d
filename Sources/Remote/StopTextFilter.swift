/// Holds back streamed text that may be the start of a stop string and cuts the reply at the
/// first stop string, so no part of one reaches the user (as the local engine does).
struct StopTextFilter: Sendable {
    let stops: [String]
    private var pending = ""

    init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    /// What can be shown after `text` arrives, and whether a stop string was reached.
    mutating func append(_ text: String) -> (emit: String, stopped: Bool) {
        if stops.isEmpty { return (text, false) }
        pending += text
        var cut: String.Index?
        for s in stops {
            if let r = pending.range(of: s), cut.map({ r.lowerBound < $0 }) ?? true { cut = r.lowerBound }
        }
        if let cut {
            let out = String(pending[..<cut])
            pending = ""
            return (out, true)
        }
        var keep = 0
        for s in stops {
            var n = min(s.count - 1, pending.count)
            while n > keep {
                if pending.hasSuffix(s.prefix(n)) { keep = n; break }
                n -= 1
            }
        }
        let split = pending.index(pending.endIndex, offsetBy: -keep)
        defer { pending = String(pending[split...]) }
        return (String(pending[..<split]), false)
    }

    /// The held-back text at the end.
    mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }
}
