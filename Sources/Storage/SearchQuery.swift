import Foundation

/// A search box's text, split into the terms to find and sorted by the index that can find each
/// (pure logic, no database).
///
/// Words are separated by white space; text between double quotes is one term (a phrase). Every
/// term must occur (AND), case and accents ignored where the index allows.
/// - A term with letters or digits in space-separated scripts goes to the word index
///   (`message_words`); a term of 3+ characters matches words starting with it (`data` finds
///   `database`), a shorter one whole words only.
/// - A term with Chinese, Japanese, Korean, Thai... characters goes to the trigram index
///   (`message_cjk`), which finds it anywhere, if it has 3+ characters; shorter ones (`東京`) are
///   matched with `LIKE` on the rows the other terms selected (or by scanning, newest first).
/// - A term of symbols only (emoji, `%`) is matched with `LIKE` too.
struct SearchQuery: Equatable {
    enum Kind: Equatable { case words, unsegmented, scan }

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
        self.terms = terms.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    var isEmpty: Bool { terms.isEmpty }

    static func kind(of term: String) -> Kind {
        if UnsegmentedScripts.contains(term) {
            return term.unicodeScalars.count >= 3 ? .unsegmented : .scan
        }
        let hasWordCharacter = term.unicodeScalars.contains {
            $0.properties.isAlphabetic || $0.properties.numericType != nil
        }
        return hasWordCharacter ? .words : .scan
    }

    func terms(_ kind: Kind) -> [String] { terms.filter { Self.kind(of: $0) == kind } }

    /// The MATCH expression for the word index: each term a quoted string (quotes doubled), a
    /// prefix query when it has 3+ characters. nil without word terms.
    var wordExpression: String? {
        let parts = terms(.words).map { Self.quoted($0) + ($0.count >= 3 ? "*" : "") }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// The MATCH expression for the trigram index. nil without such terms.
    var unsegmentedExpression: String? {
        let parts = terms(.unsegmented).map(Self.quoted)
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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

/// Builds a highlighted excerpt in Swift, for matches the index did not find (short terms), the
/// same shape as SQLite's `snippet()`: some context around the first match, each match marked.
enum SnippetBuilder {
    static func snippet(of text: String, terms: [String], markers: SnippetMarkers, context: Int = 32) -> String {
        let terms = terms.filter { !$0.isEmpty }
        func firstMatch(in s: Substring) -> Range<Substring.Index>? {
            var best: Range<Substring.Index>?
            for term in terms {
                if let r = s.range(of: term, options: [.caseInsensitive, .diacriticInsensitive]),
                   best.map({ r.lowerBound < $0.lowerBound }) ?? true {
                    best = r
                }
            }
            return best
        }
        let whole = Substring(text)
        guard let anchor = firstMatch(in: whole) else {
            return String(text.prefix(context * 2)).replacingOccurrences(of: "\n", with: " ")
        }
        let start = text.index(anchor.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(anchor.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        var out = start > text.startIndex ? markers.ellipsis : ""
        var rest = text[start..<end]
        while !rest.isEmpty {
            guard let r = firstMatch(in: rest) else { out += rest; break }
            out += rest[rest.startIndex..<r.lowerBound] + markers.open + rest[r] + markers.close
            rest = rest[r.upperBound...]
        }
        if end < text.endIndex { out += markers.ellipsis }
        return out.replacingOccurrences(of: "\n", with: " ")
    }
}
