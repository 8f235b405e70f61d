import ChatCore
import Foundation
import GGUF
import Tokenizers

/// Everything a chat needs to run against a server: the client, a tokenizer for the context
/// budget (exact or estimated, see `tokenCounts`), metadata for the prompt format and window, and
/// what to record in each reply's provenance.
public struct RemoteSetup: Sendable {
    public var client: RemoteClient
    /// Counts tokens for the context budget.
    public var tokenizer: any PromptTokenizer
    /// GGUF metadata standing in for the model's: the `--tokenizer` file's, or a minimal set with
    /// the server's context length (no chat template, so `auto` picks Llama 2).
    public var metadata: GGUFMetadata
    public var tokenCounts: TokenCountSource
    /// The model the server named (or `--remote-model`).
    public var modelName: String?
    /// The server's window (prompt + reply), when it said.
    public var serverContext: Int?

    /// The provenance of a reply from this server.
    public var provenance: RemoteProvenance {
        RemoteProvenance(api: client.api, serverURL: client.endpoint, model: modelName)
    }

    /// Connects: reads the server's model name and window (TGI `/info`, OpenAI `/v1/models`),
    /// loads `tokenizerPath` if given, else probes the server's `/tokenize`, else estimates.
    /// Runs its blocking requests on a thread of its own.
    public static func connect(api: RemoteAPI, url: String, apiKey: String?, model: String?, tokenizerPath: String?,
                               timeouts: RemoteTimeouts = RemoteTimeouts(), retries: Int = 2) async throws -> RemoteSetup {
        try await withCheckedThrowingContinuation { c in
            let t = Thread {
                c.resume(with: Result {
                    try connectBlocking(api: api, url: url, apiKey: apiKey, model: model, tokenizerPath: tokenizerPath,
                                        timeouts: timeouts, retries: retries)
                })
            }
            t.name = "llamaterm.remote.setup"
            t.start()
        }
    }

    static func connectBlocking(api: RemoteAPI, url text: String, apiKey: String?, model: String?, tokenizerPath: String?,
                                timeouts: RemoteTimeouts, retries: Int) throws -> RemoteSetup {
        var url = try ServerURL(parsing: text)
        if api == .openai { url = url.withoutVersionSuffix }
        let probeTimeouts = RemoteTimeouts(connect: timeouts.connect, firstByte: min(timeouts.firstByte, 30), betweenTokens: 30)
        let (serverModel, serverContext) = try describeServer(api: api, url: url, apiKey: apiKey, timeouts: probeTimeouts)
        let modelName = model ?? serverModel
        let client = RemoteClient(api: api, url: url, apiKey: apiKey, model: modelName, timeouts: timeouts, retries: retries)
        var metadata = GGUFMetadata([("general.architecture", .string("llama"))])
        if let serverContext { metadata = GGUFMetadata([("general.architecture", .string("llama")), ("llama.context_length", .uint32(UInt32(clamping: serverContext)))]) }
        if let tokenizerPath {
            let file: GGUFFile
            do { file = try GGUFFile(path: tokenizerPath) } catch {
                throw RemoteError.invalidURL(tokenizerPath, reason: "--tokenizer: \(error)")
            }
            let tokenizer = try Tokenizer(metadata: file.metadata)
            var entries = file.metadata.entries
            if let serverContext {
                // The server's window wins over the file's.
                let arch = file.metadata.string("general.architecture") ?? "llama"
                entries.removeAll { $0.key == "\(arch).context_length" }
                entries.append((key: "\(arch).context_length", value: .uint32(UInt32(clamping: serverContext))))
            }
            return RemoteSetup(client: client, tokenizer: tokenizer, metadata: GGUFMetadata(entries),
                               tokenCounts: .localTokenizer(path: tokenizerPath), modelName: modelName, serverContext: serverContext)
        }
        if let server = ServerTokenizer.probe(api: api, url: url, apiKey: apiKey, timeouts: probeTimeouts) {
            return RemoteSetup(client: client, tokenizer: server, metadata: metadata, tokenCounts: .server(url: server.endpoint),
                               modelName: modelName, serverContext: serverContext)
        }
        let estimate = EstimatingTokenizer()
        return RemoteSetup(client: client, tokenizer: estimate, metadata: metadata,
                           tokenCounts: .estimate(bytesPerToken: estimate.bytesPerToken), modelName: modelName, serverContext: serverContext)
    }

    /// The model name and window the server reports. A server that cannot be reached is an error
    /// (better now than at the first message); one without these endpoints gives nils.
    static func describeServer(api: RemoteAPI, url: ServerURL, apiKey: String?, timeouts: RemoteTimeouts) throws -> (String?, Int?) {
        let path = api == .tgi ? "/info" : "/v1/models"
        let ex = HTTPExchange(url: url, timeouts: timeouts)
        defer { ex.close() }
        var (head, reader) = try ex.send(method: "GET", path: path, headers: apiKey.map { [("Authorization", "Bearer \($0)")] } ?? [])
        let data = try ex.readAll(&reader, path: path, limit: 4 << 20)
        if head.status == 401 || head.status == 403 {
            throw RemoteError.httpError(url: ex.label(path), status: head.status, message: serverErrorMessage(data))
        }
        guard head.status == 200, let obj = (try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any] else { return (nil, nil) }
        if api == .tgi {
            let ctx = (obj["max_total_tokens"] as? NSNumber)?.intValue
            return (obj["model_id"] as? String, ctx)
        }
        let first = (obj["data"] as? [Any])?.first as? [String: Any]
        let ctx = (first?["max_model_len"] as? NSNumber)?.intValue
        return (first?["id"] as? String, ctx)
    }
}

/// Where a remote reply came from: the API, the endpoint URL and the model name.
public struct RemoteProvenance: Sendable, Hashable, Codable {
    public var api: String
    public var serverURL: String
    public var model: String?

    public init(api: RemoteAPI, serverURL: String, model: String?) {
        self.api = api.rawValue
        self.serverURL = serverURL
        self.model = model
    }
}
