import Foundation

/// A `/command` typed into a chat (line mode or the terminal UI).
public enum SlashCommand: Sendable, Hashable {
    /// `/system TEXT`: set the system prompt (empty text: none).
    case system(String)
    /// `/prompts`: list the system-prompt library.
    case prompts
    /// `/prompt NAME`: use a library prompt as the system prompt.
    case prompt(String)
    /// `/set NAME VALUE`: change an option.
    case set(OptionKey, String)
    /// `/set` alone: show every option.
    case showOptions
    /// `/show prompt`: the exact rendered prompt with its parts and token counts.
    case showPrompt
    /// `/reset`: forget the conversation (keep system prompt and options).
    case reset
    /// `/stats`: the last reply's statistics.
    case stats
    /// `/help`.
    case help
    /// `/quit` or `/exit`.
    case quit

    /// The help text listing every command.
    public static let helpText = """
        /system TEXT       set the system prompt (/system alone: no system prompt)
        /prompts           list the system-prompt library
        /prompt NAME       use a library prompt as the system prompt
        /set NAME VALUE    change an option, e.g. /set temperature 0.2 (/set alone lists them)
        /show prompt       show the exact prompt of the next turn, parts and token counts
        /reset             start the conversation over (keeps system prompt and options)
        /stats             statistics of the last reply
        /help              this list
        /quit              leave
        """

    /// Parses a line. Returns nil when the line is not a command (does not start with `/`, or
    /// starts with `//`, which sends a message starting with `/`). Throws `ChatError` for an unknown
    /// command or missing arguments.
    public static func parse(_ line: String) throws -> SlashCommand? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return nil }
        let body = trimmed.dropFirst()
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        let rest = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "system", "sys":
            // Keep the text as typed after the command (minus the separating space).
            var raw = line.drop { $0.isWhitespace }.dropFirst(1 + name.count)
            if raw.first == " " { raw = raw.dropFirst() }
            return .system(String(raw).trimmingCharacters(in: .newlines))
        case "prompts": return .prompts
        case "prompt":
            guard !rest.isEmpty else { throw ChatError.invalidCommand("/prompt needs a name (see /prompts)") }
            return .prompt(rest)
        case "set":
            if rest.isEmpty { return .showOptions }
            let option = rest.prefix { !$0.isWhitespace && $0 != "=" }
            let value = rest.dropFirst(option.count).drop { $0.isWhitespace || $0 == "=" }
            guard !value.isEmpty else { throw ChatError.invalidCommand("/set \(option) needs a value, e.g. /set temperature 0.2") }
            return .set(try OptionKey(name: String(option)), String(value))
        case "show":
            guard rest.lowercased() == "prompt" else { throw ChatError.invalidCommand("/show takes \"prompt\"") }
            return .showPrompt
        case "reset", "clear": return .reset
        case "stats": return .stats
        case "help", "?": return .help
        case "quit", "exit", "bye": return .quit
        default: throw ChatError.invalidCommand("unknown command /\(name) (type /help)")
        }
    }
}
