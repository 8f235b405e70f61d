/// A reader for the small part of TOML that themes use: `[section]` headers, `key = "value"`
/// (also bare numbers and booleans, read as text), `#` comments and blank lines.
public enum TOMLSubset {
    /// A parsed document: section name ("" before the first header) → key → value.
    public typealias Document = [String: [String: String]]

    /// Parses `text`, or throws naming the line that is not in the subset.
    public static func parse(_ text: String, source: String = "<string>") throws -> Document {
        var doc: Document = ["": [:]]
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            let line = stripComment(String(rawLine)).trimmed
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ThemeError.syntax(source: source, line: lineNo, detail: "bad section header \(line)")
                }
                section = String(line.dropFirst().dropLast()).trimmed
                guard isBareKey(section) else {
                    throw ThemeError.syntax(source: source, line: lineNo, detail: "bad section name \(section)")
                }
                if doc[section] == nil { doc[section] = [:] }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw ThemeError.syntax(source: source, line: lineNo, detail: "expected key = \"value\"")
            }
            let key = String(line[..<eq]).trimmed
            let rawValue = String(line[line.index(after: eq)...]).trimmed
            guard isBareKey(key) else {
                throw ThemeError.syntax(source: source, line: lineNo, detail: "bad key \(key)")
            }
            let value: String
            if rawValue.hasPrefix("\"") {
                guard rawValue.count >= 2, rawValue.hasSuffix("\"") else {
                    throw ThemeError.syntax(source: source, line: lineNo, detail: "unterminated string")
                }
                value = try unescape(String(rawValue.dropFirst().dropLast()), source: source, line: lineNo)
            } else if !rawValue.isEmpty, rawValue.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) {
                value = rawValue
            } else {
                throw ThemeError.syntax(source: source, line: lineNo, detail: "value must be a quoted string, a number or a boolean")
            }
            doc[section, default: [:]][key] = value
        }
        return doc
    }

    static func isBareKey(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }

    /// The line without a `#` comment (a `#` inside a quoted string is kept).
    static func stripComment(_ line: String) -> String {
        var inString = false
        var escaped = false
        var out = ""
        for c in line {
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out
    }

    static func unescape(_ s: String, source: String, line: Int) throws -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                default: throw ThemeError.syntax(source: source, line: line, detail: "unknown escape \\\(c)")
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "\"" {
                throw ThemeError.syntax(source: source, line: line, detail: "unescaped quote inside a string")
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
