import Inference

/// Time to first token of a long chat against a short one: builds a conversation of `turns`
/// turns on a backend, then measures the first turn (a fresh conversation) and the last turn
/// (on top of the earlier turns, which the backend's cache holds) several times each.
/// What `llamaterm bench --chat N` runs; the chat core's promise is that turn N costs only its new
/// tokens, so its time to first token stays close to turn 1's.
public struct ChatReuseBenchmark: Sendable {
    /// The session every run starts from (model, options, empty conversation).
    public var session: ChatSession
    /// Turns in the long conversation (the measured one included).
    public var turns: Int
    /// Measurements of each kind (the median is reported).
    public var repetitions: Int
    /// Whether each measured last turn first gets a new system prompt: the system prompt opens
    /// the prompt, so the whole history is evaluated again (what trying another system prompt on
    /// a conversation costs).
    public var changesSystemPrompt = false

    /// One kind of measurement: every run's statistics and their median time to first token.
    public struct Sample: Sendable {
        public var runs: [TurnStats]
        public var medianTimeToFirstToken: Double {
            let s = runs.map(\.timeToFirstToken).sorted()
            guard !s.isEmpty else { return 0 }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        /// The run whose time is the median (or the one just above it).
        public var medianRun: TurnStats? { runs.sorted { $0.timeToFirstToken < $1.timeToFirstToken }.dropFirst(runs.count / 2).first }
    }

    public init(session: ChatSession, turns: Int = 20, repetitions: Int = 5, changesSystemPrompt: Bool = false) {
        self.session = session
        self.turns = max(2, turns)
        self.repetitions = max(1, repetitions)
        self.changesSystemPrompt = changesSystemPrompt
    }

    /// A system prompt that differs from the others from its first words on.
    public static func systemPrompt(_ n: Int) -> String {
        "Variant \(n + 1) of the assistant: you answer students' questions about the world in plain words, "
            + "with one concrete example each time, and you never answer in more than three sentences."
    }

    /// A user message of about 100 tokens; `n` changes its first words, so two messages share no
    /// prefix beyond the prompt format's own tokens.
    public static func message(_ n: Int) -> String {
        let topics = ["rivers", "mountains", "bridges", "libraries", "gardens", "trains", "clocks", "harbors", "deserts", "forests"]
        let openings = ["Hello again", "Next question", "Thanks", "One more thing", "Good answer", "Another topic", "Great", "Now"]
        let t = topics[n % topics.count]
        return "\(openings[n % openings.count]), this is message \(n + 1). I am writing a short report about \(t) for a school project "
            + "and I would like your help. Please tell me one surprising fact about \(t), explain in simple words why it is true, "
            + "and suggest one question I could ask my classmates about \(t) to start a discussion. Keep the answer short."
    }

    /// Runs the benchmark: `repetitions` one-turn conversations, then one conversation of
    /// `turns - 1` turns followed by `repetitions` different last turns (each on the same history).
    public func run(on backend: some Backend) async throws -> (firstTurn: Sample, lastTurn: Sample) {
        var first: [TurnStats] = []
        for r in 0..<repetitions {
            var s = session
            first.append(try await s.respond(to: Self.message(1000 + r), using: backend))
        }
        var history = session
        for n in 0..<(turns - 1) { try await history.respond(to: Self.message(n), using: backend) }
        var last: [TurnStats] = []
        for r in 0..<repetitions {
            var s = history
            if changesSystemPrompt { s.setSystemPrompt(Self.systemPrompt(r)) }
            last.append(try await s.respond(to: Self.message(2000 + r), using: backend))
        }
        return (Sample(runs: first), Sample(runs: last))
    }
}
