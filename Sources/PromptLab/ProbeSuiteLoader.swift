import ChatCore
import Foundation

/// Reads probe files: TOML (`.toml`, the subset `TOMLSubset` reads) or JSON (`.json`).
///
/// ```toml
/// name = "basics"          # optional; default: the file name
/// seed = 42                # optional; default 42
/// prompts = ["concise"]    # optional: prompts to run when the command line names none
///
/// [options]                # optional: any chat option, as `/set` takes it
/// max-tokens = 40
///
/// [[probe]]
/// name = "capital"
/// message = "What is the capital of France?"   # or messages = ["user", "assistant", "user"]
/// contains = "Paris"                            # string or array; case-insensitive
/// not_contains = ["London"]
/// matches = "(?i)paris"                         # NSRegularExpression
/// max_words = 60
/// valid_json = true
/// ```
///
/// JSON files have the same keys, with `"options": {...}` and `"probes": [{...}, ...]`.
public enum ProbeSuiteLoader {
    /// Loads the suite at `path` (the extension picks the format; anything but `.json` is TOML).
    public static func load(path: String) throws -> ProbeSuite {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PromptLabError.unreadableSuite(path: path, message: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PromptLabError.unreadableSuite(path: path, message: "not valid UTF-8")
        }
        let defaultName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if path.lowercased().hasSuffix(".json") {
            return try parseJSON(data, path: path, defaultName: defaultName)
        }
        return try parseTOML(text, path: path, defaultName: defaultName)
    }

    /// Parses TOML text (`path` names it in errors).
    public static func parseTOML(_ text: String, path: String, defaultName: String = "suite") throws -> ProbeSuite {
        let doc = try TOMLSubset.parse(text, path: path)
        return try build(doc, path: path, defaultName: defaultName, probeKey: "probe")
    }

    /// Parses JSON data (`path` names it in errors).
    public static func parseJSON(_ data: Data, path: String, defaultName: String = "suite") throws -> ProbeSuite {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw PromptLabError.suiteSyntax(path: path, line: jsonErrorLine(data, error), message: "not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw PromptLabError.invalidSuite(path: path, line: 0, message: "expected a JSON object with a \"probes\" array")
        }
        var doc = TOMLDocument()
        for key in object.keys.sorted() {
            let value = object[key]
            switch key {
            case "options":
                guard let o = value as? [String: Any] else {
                    throw PromptLabError.invalidSuite(path: path, line: 0, message: "\"options\" must be an object")
                }
                var table = TOMLTable(line: 0)
                for k in o.keys.sorted() { table.entries.append(TOMLEntry(key: k, value: try tomlValue(o[k] as Any, path: path, key: k), line: 0)) }
                doc.tables["options"] = table
            case "probes":
                guard let items = value as? [Any] else {
                    throw PromptLabError.invalidSuite(path: path, line: 0, message: "\"probes\" must be an array of objects")
                }
                var tables: [TOMLTable] = []
                for (n, item) in items.enumerated() {
                    guard let p = item as? [String: Any] else {
                        throw PromptLabError.invalidSuite(path: path, line: 0, message: "probe \(n + 1) is not an object")
                    }
                    var table = TOMLTable(line: 0)
                    for k in p.keys.sorted() {
                        table.entries.append(TOMLEntry(key: k, value: try tomlValue(p[k] as Any, path: path, key: "probe \(n + 1): \(k)"), line: 0))
                    }
                    tables.append(table)
                }
                doc.tableArrays["probe"] = tables
            default:
                doc.root.entries.append(TOMLEntry(key: key, value: try tomlValue(value as Any, path: path, key: key), line: 0))
            }
        }
        return try build(doc, path: path, defaultName: defaultName, probeKey: "probes")
    }

    // MARK: Building

    private static let rootKeys = ["name", "seed", "prompts"]
    private static let probeKeys = ["name", "message", "messages", "contains", "not_contains", "matches", "max_words", "valid_json"]

    private static func build(_ doc: TOMLDocument, path: String, defaultName: String, probeKey: String) throws -> ProbeSuite {
        func bad(_ line: Int, _ message: String) -> PromptLabError { .invalidSuite(path: path, line: line, message: message) }
        let sectionName = probeKey == "probe" ? "[[probe]]" : "\"probes\""

        for e in doc.root.entries where !rootKeys.contains(e.key) {
            throw bad(e.line, "unknown key \"\(e.key)\" (known: \(rootKeys.joined(separator: ", ")); probes go in \(sectionName))")
        }
        for name in doc.tables.keys.sorted() where name != "options" {
            throw bad(doc.tables[name]?.line ?? 0, "unknown table [\(name)] (known: [options], [[probe]])")
        }
        for name in doc.tableArrays.keys.sorted() where name != "probe" {
            throw bad(doc.tableArrays[name]?.first?.line ?? 0, "unknown table [[\(name)]] (did you mean [[probe]]?)")
        }

        var suite = ProbeSuite(name: defaultName, path: path, probes: [])
        if let e = doc.root.entry("name") { suite.name = try string(e, path: path) }
        if let e = doc.root.entry("seed") {
            guard case .integer(let n) = e.value, n >= 0 else { throw bad(e.line, "seed must be a non-negative integer") }
            suite.seed = UInt64(n)
        }
        if let e = doc.root.entry("prompts") { suite.promptNames = try strings(e, path: path) }

        if let options = doc.tables["options"] {
            var check = GenerationOptions()
            for e in options.entries {
                let key: OptionKey
                do { key = try OptionKey(name: e.key) } catch { throw bad(e.line, "\(error)") }
                let text: String
                switch e.value {
                case .string(let s): text = s
                case .integer(let n): text = String(n)
                case .float(let d): text = String(d)
                case .bool, .array: throw bad(e.line, "option \(e.key) must be a number or a string, not \(e.value.typeName)")
                }
                do { try check.set(key, from: text) } catch { throw bad(e.line, "\(error)") }
                if key == .seed { throw bad(e.line, "set the seed with the top-level key seed = N") }
                suite.options[key] = text
            }
        }

        let items = doc.tableArrays["probe"] ?? []
        if items.isEmpty { throw bad(0, "no probes (add at least one \(sectionName) with a message)") }
        var names: Set<String> = []
        for (n, t) in items.enumerated() {
            let probe = try buildProbe(t, index: n, path: path)
            guard names.insert(probe.name).inserted else { throw bad(t.line, "two probes are named \"\(probe.name)\"") }
            suite.probes.append(probe)
        }
        return suite
    }

    private static func buildProbe(_ t: TOMLTable, index: Int, path: String) throws -> Probe {
        let label = t.line > 0 ? "probe" : "probe \(index + 1)"
        func bad(_ line: Int, _ message: String) -> PromptLabError { .invalidSuite(path: path, line: line, message: "\(label): \(message)") }
        for e in t.entries where !probeKeys.contains(e.key) {
            throw bad(e.line, "unknown key \"\(e.key)\" (known: \(probeKeys.joined(separator: ", ")))")
        }
        var name = "probe \(index + 1)"
        if let e = t.entry("name") { name = try string(e, path: path) }
        var messages: [Message]
        switch (t.entry("message"), t.entry("messages")) {
        case (nil, nil): throw bad(t.line, "needs message = \"...\" (or messages = [...])")
        case (.some, .some): throw bad(t.line, "give message or messages, not both")
        case (let e?, nil): messages = [.user(try string(e, path: path))]
        case (nil, let e?):
            let texts = try strings(e, path: path)
            guard texts.count % 2 == 1 else {
                throw bad(e.line, "messages alternate user, assistant, user... and end with the user's, so their count is odd (got \(texts.count))")
            }
            messages = texts.enumerated().map { $0.offset % 2 == 0 ? .user($0.element) : .assistant($0.element) }
        }
        if messages.contains(where: { $0.role == .user && $0.content.allSatisfy(\.isWhitespace) }) {
            throw bad(t.line, "a user message is empty")
        }
        var checks: [ProbeCheck] = []
        for e in t.entries {
            switch e.key {
            case "contains": checks += try strings(e, path: path, allowSingle: true).map { .contains($0) }
            case "not_contains": checks += try strings(e, path: path, allowSingle: true).map { .notContains($0) }
            case "matches":
                for p in try strings(e, path: path, allowSingle: true) {
                    do { _ = try NSRegularExpression(pattern: p) } catch {
                        throw bad(e.line, "matches: invalid regular expression /\(p)/")
                    }
                    checks.append(.matches(p))
                }
            case "max_words":
                guard case .integer(let n) = e.value, n >= 1 else { throw bad(e.line, "max_words must be a positive integer") }
                checks.append(.maxWords(n))
            case "valid_json":
                guard case .bool(let b) = e.value else { throw bad(e.line, "valid_json must be true or false") }
                if b { checks.append(.validJSON) }
            default: break
            }
        }
        return Probe(name: name, messages: messages, checks: checks, line: t.line)
    }

    private static func string(_ e: TOMLEntry, path: String) throws -> String {
        guard case .string(let s) = e.value else {
            throw PromptLabError.invalidSuite(path: path, line: e.line, message: "\(e.key) must be a string, not \(e.value.typeName)")
        }
        return s
    }

    private static func strings(_ e: TOMLEntry, path: String, allowSingle: Bool = false) throws -> [String] {
        if allowSingle, case .string(let s) = e.value { return [s] }
        guard case .array(let items) = e.value else {
            throw PromptLabError.invalidSuite(path: path, line: e.line,
                                              message: "\(e.key) must be \(allowSingle ? "a string or " : "")an array of strings, not \(e.value.typeName)")
        }
        return try items.map {
            guard case .string(let s) = $0 else {
                throw PromptLabError.invalidSuite(path: path, line: e.line, message: "\(e.key) must hold only strings, not \($0.typeName)")
            }
            return s
        }
    }

    private static func tomlValue(_ v: Any, path: String, key: String) throws -> TOMLValue {
        switch v {
        case let s as String: return .string(s)
        case let n as NSNumber:
            // JSONSerialization gives booleans the type "c", integers "i"/"q", other numbers "d".
            let type = String(cString: n.objCType)
            if type == "c" || type == "B" { return .bool(n.boolValue) }
            if type == "d" || type == "f" { return .float(n.doubleValue) }
            return .integer(n.intValue)
        case let a as [Any]: return .array(try a.map { try tomlValue($0, path: path, key: key) })
        default:
            throw PromptLabError.invalidSuite(path: path, line: 0, message: "\(key): unsupported value (use strings, numbers, booleans or arrays)")
        }
    }

    /// The 1-based line of a JSON syntax error when Foundation reports its character offset (0 otherwise).
    private static func jsonErrorLine(_ data: Data, _ error: Error) -> Int {
        let info = (error as NSError).userInfo
        var offset = info["NSJSONSerializationErrorIndex"] as? Int
        if offset == nil, let text = info["NSDebugDescription"] as? String,
           let r = text.range(of: #"character [0-9]+"#, options: .regularExpression) {
            offset = Int(text[r].dropFirst("character ".count))
        }
        guard let offset, offset >= 0 else { return 0 }
        return data.prefix(offset).reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
