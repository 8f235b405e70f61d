import ArgumentParser

/// The `llamaterm` command: the terminal UI by default, and the subcommands for scripts.
@main
struct Llamaterm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llamaterm",
        abstract: "Chat with Llama-family models in your terminal.",
        subcommands: [UICommand.self, ChatCommand.self, ModelCommand.self, PromptCommand.self, BenchKernelsCommand.self, TokenizeCommand.self, HistoryCommand.self,
                      GenerateCommand.self, PerplexityCommand.self, BenchCommand.self, ServeCommand.self,
                      CompareCommand.self, ProbeCommand.self, ReplayCommand.self, CacheCommand.self],
        defaultSubcommand: UICommand.self
    )
}
