import Foundation

/// A search box's text, split into the substrings to find (pure logic, no database).
///
/// Words are separated by white space; text between double quotes is one term, spaces included.
/// Every term must occur (AND). Terms of three or more characters (Unicode scalars) go through the
/// trigram full-text index; shorter ones (two CJK characters, one emoji) cannot, so they are
/// matched with `LIKE` on the rows the index selected (or on every row when no term is long enough).
struct SearchQuery: Equatable {
    var terms: [String]

    init(_ text: String) {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for ch in text {
            if ch == "\"" {
                if !current.isEmpty { terms.append(current) }
                current = ""
                quoted.toggle()
            } else if !quoted, ch.isWhitespace {
                if !current.isEmpty { terms.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { terms.append(current) }
        // Inside quotes, surrounding spaces do not matter; empty terms match nothing useful.
        self.terms = terms.map { $0.trimmingCharactersInSet() }.filter { !$0.isEmpty }
    }

    var isEmpty: Bool { terms.isEmpty }

    /// Terms long enough for the trigram index.
    var indexedTerms: [String] { terms.filter { $0.unicodeScalars.count >= 3 } }

    /// Terms too short for it.
    var shortTerms: [String] { terms.filter { $0.unicodeScalars.count < 3 } }

    /// The FTS5 MATCH expression: each indexed term as a quoted string (quotes doubled), all
    /// required. nil when no term is long enough.
    var matchExpression: String? {
        let parts = indexedTerms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// A `LIKE ... ESCAPE '\'` pattern matching `term` anywhere.
    static func likePattern(_ term: String) -> String {
        var out = "%"
        for ch in term {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out + "%"
    }
}

extension String {
    fileprivate func trimmingCharactersInSet() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

/// Builds a highlighted excerpt in Swift, for matches the index did not find (short terms), the
/// same shape as SQLite's `snippet()`: some context around the first match, each match marked.
enum SnippetBuilder {
    static func snippet(of text: String, terms: [String], markers: SnippetMarkers, context: Int = 32) -> String {
        let lowered = terms.filter { !$0.isEmpty }
        guard !lowered.isEmpty else { return String(text.prefix(context * 2)) }
        // The first match of any term anchors the window.
        var first: Range<String.Index>?
        for term in lowered {
            if let r = text.range(of: term, options: [.caseInsensitive]), first == nil || r.lowerBound < first!.lowerBound {
                first = r
            }
        }
        guard let anchor = first else { return String(text.prefix(context * 2)) }
        let start = text.index(anchor.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(anchor.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        let window = String(text[start..<end])
        var out = start > text.startIndex ? markers.ellipsis : ""
        var rest = Substring(window)
        while !rest.isEmpty {
            var best: Range<Substring.Index>?
            for term in lowered {
                if let r = rest.range(of: term, options: [.caseInsensitive]), best == nil || r.lowerBound < best!.lowerBound {
                    best = r
                }
            }
            guard let r = best else { out += rest; break }
            out += rest[rest.startIndex..<r.lowerBound] + markers.open + rest[r] + markers.close
            rest = rest[r.upperBound...]
        }
        if end < text.endIndex { out += markers.ellipsis }
        return out.replacingOccurrences(of: "\n", with: " ")
    }
}
