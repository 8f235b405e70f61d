/// The key/value metadata of a GGUF file, in file order, with typed accessors.
public struct GGUFMetadata: Equatable, Sendable {
    /// Entries in the order they appear in the file.
    public private(set) var entries: [(key: String, value: GGUFValue)]
    private var index: [String: Int]

    public init(_ entries: [(key: String, value: GGUFValue)] = []) {
        self.entries = []
        self.index = [:]
        for e in entries { self[e.key] = e.value }
    }

    public static func == (a: GGUFMetadata, b: GGUFMetadata) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// The value for `key`; setting replaces it in place or appends it.
    public subscript(key: String) -> GGUFValue? {
        get { index[key].map { entries[$0].value } }
        set {
            if let i = index[key] {
                if let newValue { entries[i].value = newValue } else {
                    entries.remove(at: i)
                    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            } else if let newValue {
                index[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }
    public func contains(_ key: String) -> Bool { index[key] != nil }

    /// An integer value of any integer type.
    public func int(_ key: String) -> Int? { self[key]?.intValue }
    /// A floating-point (or integer) value.
    public func double(_ key: String) -> Double? { self[key]?.doubleValue }
    public func float(_ key: String) -> Float? { double(key).map(Float.init) }
    public func string(_ key: String) -> String? { self[key]?.stringValue }
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    public func array(_ key: String) -> [GGUFValue]? { self[key]?.arrayValue }

    /// An array of strings (nil when absent or not all strings).
    public func strings(_ key: String) -> [String]? {
        guard let a = array(key) else { return nil }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for v in a { guard let s = v.stringValue else { return nil }; out.append(s) }
        return out
    }

    /// An array of numbers as floats.
    public func floats(_ key: String) -> [Float]? {
        guard let a = array(key) else { return nil }
        var out: [Float] = []
        out.reserveCapacity(a.count)
        for v in a { guard let d = v.doubleValue else { return nil }; out.append(Float(d)) }
        return out
    }

    /// An array of integers.
    public func ints(_ key: String) -> [Int]? {
        guard let a = array(key) else { return nil }
        var out: [Int] = []
        out.reserveCapacity(a.count)
        for v in a { guard let i = v.intValue else { return nil }; out.append(i) }
        return out
    }

    /// An integer that must be present: throws `missingKey` or `typeMismatch`.
    public func requireInt(_ key: String) throws -> Int {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let i = v.intValue else { throw GGUFError.typeMismatch(key: key, expected: "an integer", found: v.typeDescription) }
        return i
    }

    /// A number that must be present.
    public func requireDouble(_ key: String) throws -> Double {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let d = v.doubleValue else { throw GGUFError.typeMismatch(key: key, expected: "a number", found: v.typeDescription) }
        return d
    }

    /// A string that must be present.
    public func requireString(_ key: String) throws -> String {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let s = v.stringValue else { throw GGUFError.typeMismatch(key: key, expected: "a string", found: v.typeDescription) }
        return s
    }

    /// An array of strings that must be present.
    public func requireStrings(_ key: String) throws -> [String] {
        guard let v = self[key] else { throw GGUFError.missingKey(key) }
        guard let s = strings(key) else { throw GGUFError.typeMismatch(key: key, expected: "an array of string", found: v.typeDescription) }
        return s
    }
}
