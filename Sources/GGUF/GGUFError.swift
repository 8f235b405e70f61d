/// Everything that can go wrong reading or writing a GGUF file. Each case names what was wrong
/// and where, so the one-line message a user sees is enough to find the problem.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not start with `GGUF`; carries its first bytes.
    case notGGUF(magic: [UInt8])
    /// A GGUF version this reader does not understand.
    case unsupportedVersion(UInt32)
    /// The file ended at `offset` while reading `what`.
    case truncated(offset: Int, what: String)
    /// A structurally invalid value at `offset`.
    case invalid(offset: Int, message: String)
    /// A tensor's data range lies outside the file.
    case tensorOutOfBounds(name: String, start: Int, end: Int, fileSize: Int)
    /// A tensor's offset is not a multiple of the file's alignment.
    case misaligned(name: String, offset: Int, alignment: Int)
    /// A metadata key the caller needs is absent.
    case missingKey(String)
    /// A metadata key holds a value of another type than the caller needs.
    case typeMismatch(key: String, expected: String, found: String)
    /// A tensor the caller needs is absent.
    case missingTensor(String)
    /// The operating system refused to open, map or write a file.
    case io(path: String, message: String)

    /// One line: control characters from names and values in the file are shown escaped.
    public var description: String {
        var out = ""
        for scalar in message.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += scalar == "\n" ? "\\n" : "\\x" + String(scalar.value, radix: 16, uppercase: true)
            } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private var message: String {
        switch self {
        case .notGGUF(let magic):
            return "not a GGUF file (magic \"\(Self.escape(magic))\")"
        case .unsupportedVersion(let v):
            if v > 0xFFFF && v.byteSwapped <= 3 {
                return "unsupported GGUF version \(v) (a big-endian file? only little-endian GGUF 2 and 3 are supported)"
            }
            return "unsupported GGUF version \(v) (supported: 2, 3)"
        case .truncated(let offset, let what):
            return "truncated at byte \(offset) while reading \(what)"
        case .invalid(let offset, let message):
            return "\(message) (at byte \(offset))"
        case .tensorOutOfBounds(let name, let start, let end, let size):
            return "tensor \"\(name)\" data [\(start), \(end)) lies outside the file (size \(size))"
        case .misaligned(let name, let offset, let alignment):
            return "tensor \"\(name)\" offset \(offset) is not a multiple of the alignment \(alignment)"
        case .missingKey(let key):
            return "metadata key \"\(key)\" is missing"
        case .typeMismatch(let key, let expected, let found):
            return "metadata key \"\(key)\" is \(found), expected \(expected)"
        case .missingTensor(let name):
            return "tensor \"\(name)\" is missing"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }

    /// Printable ASCII as is, everything else as `\xNN`.
    static func escape(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C { s.unicodeScalars.append(UnicodeScalar(b)) }
            else { s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }
        }
        return s
    }
}
