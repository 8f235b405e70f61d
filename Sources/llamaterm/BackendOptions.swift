import ArgumentParser
import Foundation
import Remote

/// Where replies come from.
enum BackendKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case local, tgi, openai

    var remoteAPI: RemoteAPI? {
        switch self {
        case .local: return nil
        case .tgi: return .tgi
        case .openai: return .openai
        }
    }
}

/// `--backend local|tgi|openai --url URL [--api-key-env NAME] [--tokenizer PATH] [--remote-model NAME]`:
/// the options group `chat` (and the UI) use to run against a server instead of the local model.
/// The API key is read from the named environment variable when connecting; it is never stored
/// or printed.
struct BackendOptions: ParsableArguments {
    @Option(help: "Where replies come from: local (the GGUF model), tgi (Text Generation Inference) or openai (an OpenAI-compatible /v1/completions server).")
    var backend: BackendKind = .local

    @Option(help: "The server's URL for --backend tgi|openai, e.g. http://127.0.0.1:8080 (http only).")
    var url: String?

    @Option(name: .customLong("api-key-env"), help: "The environment variable holding the server's API key (sent as a Bearer token).")
    var apiKeyEnv: String?

    @Option(help: "A GGUF file whose tokenizer counts tokens for the context budget with a remote backend (default: the server's /tokenize, else an estimate).")
    var tokenizer: String?

    @Option(name: .customLong("remote-model"), help: "The model name to ask the server for (default: the one the server reports).")
    var remoteModel: String?

    func validate() throws {
        if backend == .local {
            for (flag, value) in [("--url", url), ("--api-key-env", apiKeyEnv), ("--remote-model", remoteModel), ("--tokenizer", tokenizer)] where value != nil {
                throw ValidationError("\(flag) needs --backend tgi or --backend openai")
            }
        } else if url == nil {
            throw ValidationError("--backend \(backend.rawValue) needs --url (the server's address, e.g. http://127.0.0.1:8080)")
        }
        if let apiKeyEnv, apiKeyEnv.isEmpty || apiKeyEnv.contains("=") {
            throw ValidationError("--api-key-env takes the name of an environment variable, not the key itself")
        }
    }

    /// The API key from the environment (nil without --api-key-env).
    func apiKey() throws -> String? {
        guard let apiKeyEnv else { return nil }
        guard let key = ProcessInfo.processInfo.environment[apiKeyEnv], !key.isEmpty else {
            throw RemoteError.missingAPIKey(variable: apiKeyEnv)
        }
        return key
    }

    /// Connects to the server (nil for the local backend).
    func connect() async throws -> RemoteSetup? {
        guard let api = backend.remoteAPI, let url else { return nil }
        return try await RemoteSetup.connect(api: api, url: url, apiKey: try apiKey(), model: remoteModel, tokenizerPath: tokenizer)
    }
}
