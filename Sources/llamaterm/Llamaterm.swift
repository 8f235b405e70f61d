import ArgumentParser

/// The `llamaterm` command: the terminal UI by default, and the subcommands for scripts.
@main
struct Llamaterm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llamaterm",
        abstract: "Chat with Llama-family models in your terminal.",
        subcommands: [ModelCommand.self, GenerateCommand.self, PerplexityCommand.self, BenchCommand.self, PromptCommand.self, BenchKernelsCommand.self]
    )

    func run() async throws {
        print(Llamaterm.helpMessage())
    }
}
