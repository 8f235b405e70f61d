import ArgumentParser

/// `llamaterm [ui] [--model P] [--db P] [--theme T] [--prompt-name N]`: the terminal UI, the
/// default subcommand. Its options live here, not on the root command: options declared on the
/// root would capture the same flags of every subcommand (`chat --model`, `prompt --model`, ...).
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "The terminal UI (the default when no subcommand is given)."
    )

    @Option(help: "The GGUF model for the terminal UI (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    /// `--db PATH`, as the `history` commands take it.
    @OptionGroup var db: HistoryDatabaseOption

    @Option(help: "UI theme: dark, light, high-contrast, or a file in $XDG_CONFIG_HOME/llamaterm/themes/.")
    var theme: String?

    @Option(name: .customLong("prompt-name"), help: "System prompt from the library for new conversations.")
    var promptName: String?

    /// `--backend tgi|openai --url URL ...`: chat with a model on a server.
    @OptionGroup(title: "Remote backend")
    var backend: BackendOptions

    /// `--kv-memory`, `--kv-disk-limit`: KV states kept for other prompts and between runs.
    @OptionGroup(title: "KV state")
    var kv: KVStateOptions

    func run() async throws {
        try await CLIErrors.report {
            let remote = try await backend.connect()
            try await TerminalApp.run(modelPath: model ?? ModelLocator.defaultModelPath(), databasePath: db.path,
                                      themeName: theme, promptName: promptName, remote: remote, kv: kv)
        }
    }
}
