import ChatCore

/// Runs every probe of a suite under every system prompt, with the suite's fixed seed.
public struct ProbeRun: Sendable {
    public var suite: ProbeSuite
    public var prompts: [LabPrompt]
    /// The options every probe runs with (the caller's, with the suite's options and seed over them).
    public var options: GenerationOptions

    public init(suite: ProbeSuite, prompts: [LabPrompt], baseOptions: GenerationOptions = GenerationOptions()) throws {
        guard !prompts.isEmpty else { throw PromptLabError.noSystemPrompts }
        self.suite = suite
        self.prompts = prompts
        options = try suite.options(over: baseOptions)
    }

    /// Runs prompt by prompt, probe by probe; `onProbe` sees each outcome as it completes.
    public func run(using generator: any ReplyGenerator,
                    onProbe: (LabPrompt, ProbeOutcome) -> Void = { _, _ in }) async -> ProbeReport {
        var sections: [ProbeReport.Section] = []
        for prompt in prompts {
            var outcomes: [ProbeOutcome] = []
            for probe in suite.probes {
                if Task.isCancelled { break }
                let conversation = probe.conversation(system: prompt.text, systemName: prompt.name)
                let outcome: ProbeOutcome
                do {
                    let reply = try await generator.reply(to: conversation, options: options) { _ in }
                    outcome = ProbeOutcome(probe: probe.name, reply: reply.text, stats: reply.stats,
                                           checks: probe.checks.map { $0.evaluate(reply.text) }, error: nil)
                } catch {
                    outcome = ProbeOutcome(probe: probe.name, reply: "", stats: nil, checks: [], error: String(describing: error))
                }
                onProbe(prompt, outcome)
                outcomes.append(outcome)
            }
            sections.append(.init(prompt: prompt, outcomes: outcomes))
        }
        return ProbeReport(suite: suite.name, seed: suite.seed, sections: sections)
    }
}

/// One probe's reply under one prompt and how its checks went.
public struct ProbeOutcome: Sendable, Hashable {
    public var probe: String
    public var reply: String
    public var stats: TurnStats?
    public var checks: [CheckOutcome]
    /// Why generation failed (the probe then fails), or nil.
    public var error: String?

    public init(probe: String, reply: String, stats: TurnStats?, checks: [CheckOutcome], error: String?) {
        self.probe = probe
        self.reply = reply
        self.stats = stats
        self.checks = checks
        self.error = error
    }

    /// True when the reply came back and every check passed.
    public var passed: Bool { error == nil && checks.allSatisfy(\.passed) }
}

/// Every outcome of a probe run, grouped by system prompt.
public struct ProbeReport: Sendable, Hashable {
    public struct Section: Sendable, Hashable {
        public var prompt: LabPrompt
        public var outcomes: [ProbeOutcome]
        public var passedCount: Int { outcomes.filter(\.passed).count }
    }

    public var suite: String
    public var seed: UInt64
    public var sections: [Section]

    /// True when every probe passed under every prompt.
    public var allPassed: Bool { sections.allSatisfy { $0.outcomes.allSatisfy(\.passed) } }
    /// Failed (prompt, probe) pairs.
    public var failureCount: Int { sections.reduce(0) { $0 + $1.outcomes.count - $1.passedCount } }

    /// The pass/fail table, one block per prompt:
    ///
    /// ```
    /// == concise: 2/3 passed
    /// PROBE     RESULT  DETAILS
    /// capital   pass
    /// short     FAIL    at most 5 words: 12 words
    /// ```
    public var table: String {
        var lines: [String] = ["suite \(suite), seed \(seed)"]
        for s in sections {
            lines.append("")
            lines.append("== \(s.prompt.label): \(s.passedCount)/\(s.outcomes.count) passed")
            let width = max(5, s.outcomes.map(\.probe.count).max() ?? 0)
            lines.append("PROBE".padding(toLength: width, withPad: " ", startingAt: 0) + "  RESULT  DETAILS")
            for o in s.outcomes {
                var details: [String] = []
                if let e = o.error { details.append("error: \(e)") }
                for c in o.checks where !c.passed {
                    details.append(c.detail.isEmpty ? c.check.label : "\(c.check.label): \(c.detail)")
                }
                let row = o.probe.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + (o.passed ? "pass  " : "FAIL  ") + "  " + details.joined(separator: "; ")
                lines.append(String(row.reversed().drop(while: { $0 == " " }).reversed()))
            }
        }
        lines.append("")
        lines.append(allPassed ? "all probes passed" : "\(failureCount) probe run\(failureCount == 1 ? "" : "s") failed")
        return lines.joined(separator: "\n")
    }
}
