import ArgumentParser
import ChatCore
import Foundation
import PromptLab

/// `llamaterm probe FILE`: test system prompts like code.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Run a probe suite (TOML or JSON) under system prompts and print a pass/fail table.",
        discussion: """
            Every probe runs under every prompt with the suite's fixed seed (default 42) and options,
            so the table is the same each run. Exits with status 1 when any check fails. Without
            --prompt-name/--system the suite's own `prompts = [...]` are used. See
            prompts/probes/basics.toml for the format.
            """
    )

    @Argument(help: "The probe suite file (.toml or .json).")
    var file: String

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(name: .customLong("prompt-name"), help: "A system prompt from the library (repeatable).")
    var promptNames: [String] = []

    @Option(name: .customLong("system"), help: "A system prompt given as text (repeatable).")
    var systems: [String] = []

    @OptionGroup var flags: GenerationFlags

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() async throws {
        var failed = false
        try await CLIErrors.report {
            let suite = try ProbeSuiteLoader.load(path: file)
            let prompts = try LabPrompt.resolve(names: promptNames, texts: systems, library: PromptLibrary(),
                                                fallbackNames: suite.promptNames)
            let probe = try ProbeRun(suite: suite, prompts: prompts, baseOptions: try flags.options())
            let lab = try LabModel(path: model ?? ModelLocator.defaultModelPath(), options: probe.options)
            let progress = TerminalWidth.standardErrorIsTerminal && !json
            let report = await probe.run(using: lab.generator) { prompt, outcome in
                if progress { CLIErrors.printNote("\(prompt.label) · \(outcome.probe): \(outcome.passed ? "pass" : "FAIL")") }
            }
            print(json ? ProbeReportJSON.render(report) : report.table)
            failed = !report.allPassed
        }
        if failed { throw ExitCode.failure }
    }
}
