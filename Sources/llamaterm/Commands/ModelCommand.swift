import ArgumentParser

/// `llamaterm model ...`: inspect and fetch model files.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect and fetch GGUF model files.",
        subcommands: [ModelInfoCommand.self, ModelFetchCommand.self]
    )
}
