/// Everything that can go wrong in the chat core. Each case names what was wrong and where, so the
/// one-line message a user sees is enough to fix it.
public enum ChatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option's value is outside its allowed range.
    case optionOutOfRange(option: String, value: String, allowed: String)
    /// An option value could not be read (e.g. "abc" for a number).
    case invalidOptionValue(option: String, value: String, expected: String)
    /// No option has this name.
    case unknownOption(String)
    /// No prompt format has this name.
    case unknownFormat(String)
    /// The conversation does not have the user/assistant shape a prompt needs.
    case invalidConversation(String)
    /// The system prompt and the newest user message alone do not fit the context window.
    case promptTooLong(needed: Int, available: Int, window: Int, reserved: Int)
    /// A prompt format needs a token the vocabulary does not have.
    case missingToken(piece: String, format: String)
    /// No system prompt with this name in the library.
    case promptNotFound(name: String, available: [String])
    /// A system prompt file could not be read or written.
    case promptFile(path: String, message: String)
    /// A prompt name that cannot be a file name.
    case invalidPromptName(String)
    /// A dialog file (Hugging Face chat format) is malformed.
    case invalidDialog(path: String, message: String)
    /// A slash command that cannot be run as typed.
    case invalidCommand(String)

    public var description: String {
        switch self {
        case let .optionOutOfRange(option, value, allowed):
            return "option \(option) = \(value) is out of range (allowed: \(allowed))"
        case let .invalidOptionValue(option, value, expected):
            return "option \(option): cannot read \"\(value)\" (expected \(expected))"
        case let .unknownOption(name):
            return "unknown option \"\(name)\" (known: \(OptionKey.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .unknownFormat(name):
            return "unknown prompt format \"\(name)\" (known: \(PromptFormatName.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .invalidConversation(message):
            return "invalid conversation: \(message)"
        case let .promptTooLong(needed, available, window, reserved):
            return "the system prompt and the newest message need \(needed) tokens but only \(available) fit "
                + "(context window \(window) minus \(reserved) reserved for the reply); shorten them or raise --ctx-size"
        case let .missingToken(piece, format):
            return "the \(format) prompt format needs the token \(piece), which this model's vocabulary lacks (choose another --format)"
        case let .promptNotFound(name, available):
            return "no system prompt named \"\(name)\" (available: \(available.joined(separator: ", ")))"
        case let .promptFile(path, message):
            return "system prompt file \(path): \(message)"
        case let .invalidPromptName(name):
            return "invalid prompt name \"\(name)\" (use letters, digits, '-', '_' and '.')"
        case let .invalidDialog(path, message):
            return "dialog \(path): \(message)"
        case let .invalidCommand(message):
            return message
        }
    }
}
