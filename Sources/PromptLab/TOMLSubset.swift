import Foundation

/// A value of the TOML subset probe files use.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a number"
        case .bool: return "a boolean"
        case .array: return "an array"
        }
    }
}

/// One `key = value` line and where it was.
public struct TOMLEntry: Sendable, Equatable {
    public var key: String
    public var value: TOMLValue
    public var line: Int
}

/// A table: its entries in file order and the line of its header (1 for the root table).
public struct TOMLTable: Sendable, Equatable {
    public var line: Int
    public var entries: [TOMLEntry] = []

    /// The entry for `key`, if present.
    public func entry(_ key: String) -> TOMLEntry? { entries.first { $0.key == key } }
}

/// A parsed document: the root table, `[name]` tables and `[[name]]` arrays of tables.
public struct TOMLDocument: Sendable, Equatable {
    public var root = TOMLTable(line: 1)
    public var tables: [String: TOMLTable] = [:]
    public var tableArrays: [String: [TOMLTable]] = [:]
}

/// A reader for the part of TOML probe files need: `#` comments, bare keys, `[table]` and
/// `[[array-of-tables]]` headers, basic strings with escapes, literal strings, multi-line basic
/// and literal strings, integers, floats, booleans and (multi-line) arrays. Anything else is
/// refused with the line it is on.
public struct TOMLSubset {
    private let scalars: [Unicode.Scalar]
    private let path: String
    private var i = 0
    private var line = 1

    private init(_ text: String, path: String) {
        scalars = Array(text.unicodeScalars)
        self.path = path
    }

    /// Parses `text`; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws -> TOMLDocument {
        var p = TOMLSubset(text, path: path)
        return try p.document()
    }

    // MARK: Structure

    private mutating func document() throws -> TOMLDocument {
        var doc = TOMLDocument()
        enum Target { case root, table(String), arrayItem(String) }
        var target = Target.root
        var seenKeys: Set<String> = []
        while true {
            skipBlankAndComments()
            guard let c = peek() else { break }
            if c == "[" {
                let headerLine = line
                let isArray = peek(1) == "["
                i += isArray ? 2 : 1
                skipSpaces()
                let name = try key()
                skipSpaces()
                guard take("]"), !isArray || take("]") else { throw syntax("expected \(isArray ? "]]" : "]") after the table name \"\(name)\"") }
                try endOfLine()
                seenKeys = []
                if isArray {
                    if doc.tables[name] != nil { throw syntax("[[\(name)]] clashes with the table [\(name)]", line: headerLine) }
                    doc.tableArrays[name, default: []].append(TOMLTable(line: headerLine))
                    target = .arrayItem(name)
                } else {
                    if doc.tables[name] != nil || doc.tableArrays[name] != nil || doc.root.entry(name) != nil {
                        throw syntax("table [\(name)] is defined twice", line: headerLine)
                    }
                    doc.tables[name] = TOMLTable(line: headerLine)
                    target = .table(name)
                }
                continue
            }
            let entryLine = line
            let k = try key()
            skipSpaces()
            guard take("=") else { throw syntax("expected = after the key \"\(k)\"") }
            skipSpaces()
            let v = try value()
            try endOfLine()
            guard seenKeys.insert(k).inserted else { throw syntax("the key \"\(k)\" is set twice", line: entryLine) }
            let entry = TOMLEntry(key: k, value: v, line: entryLine)
            switch target {
            case .root: doc.root.entries.append(entry)
            case .table(let n): doc.tables[n]?.entries.append(entry)
            case .arrayItem(let n):
                if var items = doc.tableArrays[n], !items.isEmpty {
                    items[items.count - 1].entries.append(entry)
                    doc.tableArrays[n] = items
                }
            }
        }
        return doc
    }

    private mutating func key() throws -> String {
        if peek() == "\"" {
            i += 1
            return try basicString()
        }
        var k = ""
        while let c = peek(), c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || c == "_" || c == "-" {
            k.unicodeScalars.append(c)
            i += 1
        }
        if k.isEmpty {
            if let c = peek(), c == "." { throw syntax("dotted keys are not supported; use a [table] header") }
            throw syntax(peek().map { "unexpected \(Self.show($0)) where a key should be" } ?? "expected a key")
        }
        if peek() == "." { throw syntax("dotted keys are not supported; use a [table] header") }
        return k
    }

    // MARK: Values

    private mutating func value() throws -> TOMLValue {
        guard let c = peek() else { throw syntax("expected a value") }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" {
                i += 3
                return .string(try multilineBasicString())
            }
            i += 1
            return .string(try basicString())
        case "'":
            if peek(1) == "'" && peek(2) == "'" {
                i += 3
                return .string(try multilineLiteralString())
            }
            i += 1
            return .string(try literalString())
        case "[":
            i += 1
            return try array()
        case "{":
            throw syntax("inline tables are not supported; use a [table] or [[table]] header")
        default:
            return try bareValue()
        }
    }

    private mutating func array() throws -> TOMLValue {
        var items: [TOMLValue] = []
        while true {
            skipBlankAndComments()
            if take("]") { return .array(items) }
            guard peek() != nil else { throw syntax("unterminated array (missing ])") }
            items.append(try value())
            skipBlankAndComments()
            if take(",") { continue }
            if take("]") { return .array(items) }
            throw syntax(peek().map { "expected , or ] in an array, found \(Self.show($0))" } ?? "unterminated array (missing ])")
        }
    }

    private mutating func bareValue() throws -> TOMLValue {
        var word = ""
        while let c = peek(), !(c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," || c == "]" || c == "#") {
            word.unicodeScalars.append(c)
            i += 1
        }
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        let digits = word.replacingOccurrences(of: "_", with: "")
        if !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "+" || $0 == "-" }), let n = Int(digits) { return .integer(n) }
        if !digits.isEmpty, digits.first.map({ $0.isNumber || $0 == "+" || $0 == "-" }) == true,
           let d = Double(digits), d.isFinite { return .float(d) }
        if word.isEmpty { throw syntax("expected a value") }
        throw syntax("cannot read the value \(word) (strings need quotes)")
    }

    private mutating func basicString() throws -> String {
        var s = ""
        while let c = next() {
            switch c {
            case "\"": return s
            case "\\": s.unicodeScalars.append(try escape())
            case "\n": throw syntax("unterminated string (a \"...\" string ends on its line; use \"\"\" for several lines)", line: line - 1)
            default: s.unicodeScalars.append(c)
            }
        }
        throw syntax("unterminated string")
    }

    private mutating func literalString() throws -> String {
        var s = ""
        while let c = next() {
            if c == "'" { return s }
            if c == "\n" { throw syntax("unterminated string", line: line - 1) }
            s.unicodeScalars.append(c)
        }
        throw syntax("unterminated string")
    }

    private mutating func multilineBasicString() throws -> String {
        let start = line
        var s = ""
        if peek() == "\n" { i += 1; line += 1 } else if peek() == "\r" && peek(1) == "\n" { i += 2; line += 1 }
        while let c = next() {
            if c == "\"" && peek() == "\"" && peek(1) == "\"" {
                i += 2
                return s
            }
            if c == "\\" {
                // A backslash at the end of a line trims the newline and the following whitespace.
                if let n = peek(), n == "\n" || n == " " || n == "\t" || n == "\r" {
                    while let w = peek(), w == "\n" || w == " " || w == "\t" || w == "\r" {
                        if w == "\n" { line += 1 }
                        i += 1
                    }
                    continue
                }
                s.unicodeScalars.append(try escape())
                continue
            }
            if c == "\r" && peek() == "\n" { continue }
            s.unicodeScalars.append(c)
        }
        throw syntax("unterminated multi-line string (missing \"\"\")", line: start)
    }

    private mutating func multilineLiteralString() throws -> String {
        let start = line
        var s = ""
        if peek() == "\n" { i += 1; line += 1 } else if peek() == "\r" && peek(1) == "\n" { i += 2; line += 1 }
        while let c = next() {
            if c == "'" && peek() == "'" && peek(1) == "'" {
                i += 2
                return s
            }
            if c == "\r" && peek() == "\n" { continue }
            s.unicodeScalars.append(c)
        }
        throw syntax("unterminated multi-line string (missing ''')", line: start)
    }

    private mutating func escape() throws -> Unicode.Scalar {
        guard let e = next() else { throw syntax("unterminated escape") }
        switch e {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{8}"
        case "f": return "\u{C}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let count = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<count {
                guard let h = next(), h.properties.isASCIIHexDigit else { throw syntax("\\\(e) needs \(count) hex digits") }
                hex.unicodeScalars.append(h)
            }
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                throw syntax("\\\(e)\(hex) is not a Unicode scalar value")
            }
            return scalar
        default:
            throw syntax("unknown escape \\\(Self.show(e))")
        }
    }

    // MARK: Scanning

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? { i + ahead < scalars.count ? scalars[i + ahead] : nil }

    private mutating func next() -> Unicode.Scalar? {
        guard i < scalars.count else { return nil }
        let c = scalars[i]
        i += 1
        if c == "\n" { line += 1 }
        return c
    }

    private mutating func take(_ c: Unicode.Scalar) -> Bool {
        if peek() == c { i += 1; return true }
        return false
    }

    private mutating func skipSpaces() {
        while let c = peek(), c == " " || c == "\t" { i += 1 }
    }

    /// Skips whitespace, newlines and comments.
    private mutating func skipBlankAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" { i += 1 } else if c == "\n" { i += 1; line += 1 } else if c == "#" {
                while let d = peek(), d != "\n" { i += 1 }
            } else { return }
        }
    }

    /// After a header or a value: only spaces and a comment may follow on the line.
    private mutating func endOfLine() throws {
        skipSpaces()
        if peek() == "#" { while let d = peek(), d != "\n" { i += 1 } }
        if peek() == "\r" { i += 1 }
        guard let c = peek() else { return }
        guard c == "\n" else { throw syntax("unexpected \(Self.show(c)) after the value (one key = value per line)") }
    }

    private func syntax(_ message: String, line: Int? = nil) -> PromptLabError {
        .suiteSyntax(path: path, line: line ?? self.line, message: message)
    }

    private static func show(_ c: Unicode.Scalar) -> String {
        c.properties.isWhitespace || c.value < 32 ? "U+\(String(c.value, radix: 16, uppercase: true))" : "'\(Character(c))'"
    }
}
