import ChatCore

/// A probe file: messages to send under each system prompt, with checks on the replies, so a
/// system prompt can be tested like code.
public struct ProbeSuite: Sendable, Hashable {
    /// The suite's name (the file's `name`, else its file name).
    public var name: String
    /// The file it came from.
    public var path: String
    /// The seed every probe runs with (fixed so a suite gives the same replies each run).
    public var seed: UInt64
    /// Option values the suite sets (`[options]`), as `/set` takes them, applied over the caller's.
    public var options: [OptionKey: String]
    /// Library prompt names to run when the command line names none.
    public var promptNames: [String]
    public var probes: [Probe]

    public init(name: String, path: String, seed: UInt64 = ProbeSuite.defaultSeed, options: [OptionKey: String] = [:],
                promptNames: [String] = [], probes: [Probe]) {
        self.name = name
        self.path = path
        self.seed = seed
        self.options = options
        self.promptNames = promptNames
        self.probes = probes
    }

    /// The seed of a suite that does not set one.
    public static let defaultSeed: UInt64 = 42

    /// `base` with the suite's options and seed applied.
    public func options(over base: GenerationOptions) throws -> GenerationOptions {
        var o = base
        for key in OptionKey.allCases { if let text = options[key] { try o.set(key, from: text) } }
        o.seed = seed
        return o
    }
}

/// One probe: a conversation ending with a user message, and the checks its reply must pass.
public struct Probe: Sendable, Hashable {
    public var name: String
    /// User and assistant messages, alternating, ending with the user's.
    public var messages: [Message]
    public var checks: [ProbeCheck]
    /// The line of its `[[probe]]` header (0 in JSON files).
    public var line: Int

    public init(name: String, messages: [Message], checks: [ProbeCheck], line: Int = 0) {
        self.name = name
        self.messages = messages
        self.checks = checks
        self.line = line
    }

    /// The probe's conversation under `system`.
    public func conversation(system: String, systemName: String?) -> Conversation {
        Conversation(systemPrompt: system, systemPromptName: systemName, messages: messages)
    }
}
