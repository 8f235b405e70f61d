import ArgumentParser

/// The `llamaterm` command: the terminal UI by default, and the subcommands for scripts.
@main
struct Llamaterm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llamaterm",
        abstract: "Chat with Llama-family models in your terminal.",
        subcommands: [ModelCommand.self, PromptCommand.self, BenchKernelsCommand.self, TokenizeCommand.self, HistoryCommand.self,
                      GenerateCommand.self, PerplexityCommand.self, BenchCommand.self]
    )

    @Option(help: "The GGUF model for the terminal UI (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "The conversations database (default: $XDG_DATA_HOME/llamaterm/llamaterm.sqlite).")
    var db: String?

    @Option(help: "UI theme: dark, light, high-contrast, or a file in $XDG_CONFIG_HOME/llamaterm/themes/.")
    var theme: String?

    @Option(name: .customLong("prompt-name"), help: "System prompt from the library for new conversations.")
    var promptName: String?

    func run() async throws {
        try await CLIErrors.report {
            try await TerminalApp.run(modelPath: model ?? ModelLocator.defaultModelPath(), databasePath: db,
                                      themeName: theme, promptName: promptName)
        }
    }
}
