import Foundation
import Remote
import Tokenizers

/// `llamaterm serve`: a model behind TGI's API (`POST /`, `/generate`, `/generate_stream`,
/// `/info`, `/tokenize`, `/health`) and OpenAI's (`/v1/completions`, `/v1/models`). One generation
/// runs at a time; others wait in a queue. A client that goes away stops its generation.
public final class InferenceServer: @unchecked Sendable {
    public let model: ServedModel
    let queue: GenerationQueue
    private var http: HTTPServer!
    /// Default reply length when a TGI request gives none.
    public var defaultMaxNewTokens = 100
    let started = Date()

    public init(model: ServedModel, host: String = "127.0.0.1", port: Int, maxQueued: Int = 32) {
        self.model = model
        self.queue = GenerationQueue(limit: maxQueued)
        self.http = HTTPServer(host: host, port: port) { [weak self] request, writer in
            guard let self else { return writer.sendError(503, "the server is shutting down") }
            self.handle(request, writer)
        }
    }

    /// Binds and starts serving in the background.
    public func start() throws { try http.start() }

    /// The bound port.
    public var port: Int { http.port }

    /// Stops accepting and closes connections.
    public func stop() { http.stop() }

    func handle(_ request: HTTPServerRequest, _ w: ResponseWriter) {
        let route = (request.method, request.path)
        switch route {
        case ("GET", "/info"): info(w)
        case ("GET", "/health"), ("HEAD", "/health"): w.send(status: 200, contentType: "text/plain", body: [])
        case ("GET", "/v1/models"): models(w)
        case ("POST", "/tokenize"): tokenize(request, w)
        case ("POST", "/"): tgiGenerate(request, w, mode: .compat)
        case ("POST", "/generate"): tgiGenerate(request, w, mode: .whole)
        case ("POST", "/generate_stream"): tgiGenerate(request, w, mode: .stream)
        case ("POST", "/v1/completions"): openAICompletions(request, w)
        default:
            let known = ["/info", "/health", "/v1/models", "/tokenize", "/", "/generate", "/generate_stream", "/v1/completions"]
            if known.contains(request.path) {
                w.sendError(405, "\(request.method) is not allowed on \(request.path)")
            } else if request.path.hasPrefix("/v1/") {
                OpenAIErrors.send(w, 404, "no route \(request.path) (this server offers /v1/completions and /v1/models)")
            } else {
                w.sendError(404, "no route \(request.method) \(request.path)")
            }
        }
    }

    private func info(_ w: ResponseWriter) {
        w.sendJSON([
            "model_id": model.name, "model_sha": NSNull(), "model_dtype": "gguf", "model_device_type": "cpu",
            "model_pipeline_tag": "text-generation", "max_concurrent_requests": 1, "max_best_of": 1,
            "max_stop_sequences": 4, "max_input_tokens": max(1, model.contextLength - 1),
            "max_input_length": max(1, model.contextLength - 1), "max_total_tokens": model.contextLength,
            "waiting_served_ratio": 1.2, "max_batch_total_tokens": model.contextLength, "max_waiting_tokens": 20,
            "validation_workers": 1, "max_client_batch_size": 1, "router": "llamaterm", "version": "0.1.0",
            "sha": NSNull(), "docker_label": NSNull(),
        ] as [String: Any])
    }

    private func models(_ w: ResponseWriter) {
        w.sendJSON(["object": "list", "data": [["id": model.name, "object": "model", "created": Int(started.timeIntervalSince1970),
                                                 "owned_by": "llamaterm", "max_model_len": model.contextLength] as [String: Any]]] as [String: Any])
    }

    /// TGI `{"inputs"}` → `[{"id","text","start","stop"}]`; llama.cpp `{"content"}` →
    /// `{"tokens"}`; vLLM `{"prompt"}` → `{"tokens","count","max_model_len"}`.
    private func tokenize(_ request: HTTPServerRequest, _ w: ResponseWriter) {
        guard let body = JSONBody(request.body) else { return w.sendError(400, "the body is not a JSON object") }
        if let text = body.string("inputs") {
            let addSpecial = body.bool("add_special_tokens") ?? true
            let ids = model.tokenize(text, addSpecial)
            var offset = 0
            var out: [[String: Any]] = []
            for id in ids {
                let p = model.piece(id)
                let isSpecial = addSpecial && out.isEmpty && ids.first == id && !text.hasPrefix(p)
                let start = offset
                if !isSpecial { offset += p.unicodeScalars.count }
                out.append(["id": Int(id), "text": p, "start": start, "stop": isSpecial ? start : offset])
            }
            return w.sendJSON(out)
        }
        if let text = body.string("content") {
            return w.sendJSON(["tokens": model.tokenize(text, body.bool("add_special") ?? false).map(Int.init)])
        }
        if let text = body.string("prompt") {
            let ids = model.tokenize(text, body.bool("add_special_tokens") ?? true)
            return w.sendJSON(["tokens": ids.map(Int.init), "count": ids.count, "max_model_len": model.contextLength] as [String: Any])
        }
        w.sendError(422, "Input validation error: give the text as \"inputs\", \"content\" or \"prompt\"", type: "validation")
    }

    // MARK: Running a generation

    /// What a generation produced, streamed to `onText`.
    struct Outcome {
        var text = ""
        var finish: RemoteFinish?
        var error: Error?
        var clientGone = false
    }

    /// Waits for the queue, runs the generation and feeds each piece to `onText` (false = the
    /// client is gone: the generation is cancelled). Returns nil when the queue is full.
    func run(prompt: [TokenID], parameters: RemoteParameters, onText: (String) -> Bool) -> Outcome? {
        guard let ticket = queue.enter() else { return nil }
        defer { ticket.done() }
        let channel = BlockingChannel<Result<RemoteEvent, Error>>()
        let stream = model.generate(prompt, parameters)
        let task = Task {
            do {
                for try await e in stream { channel.put(.success(e)) }
            } catch { channel.put(.failure(error)) }
            channel.close()
        }
        var out = Outcome()
        while let item = channel.take() {
            switch item {
            case .success(.text(let t)):
                out.text += t
                if !out.clientGone && !onText(t) { out.clientGone = true; task.cancel() }
            case .success(.finished(let f)):
                out.finish = f
            case .failure(let e):
                out.error = e
            }
        }
        return out
    }

    /// Tokenizes a prompt and checks it against the window; returns the ids or an error text.
    func prepare(_ text: String, maxNewTokens: Int) -> Result<[TokenID], PromptProblem> {
        if text.isEmpty { return .failure(.init(message: "`inputs` cannot be empty")) }
        let ids = model.tokenize(text, true)
        if ids.count + maxNewTokens > model.contextLength {
            return .failure(.init(message: "`inputs` tokens + `max_new_tokens` must be <= \(model.contextLength). Given: \(ids.count) `inputs` tokens and \(maxNewTokens) `max_new_tokens`"))
        }
        return .success(ids)
    }

    struct PromptProblem: Error { var message: String }
}

/// A request's JSON object with typed, lenient accessors (numbers may come as ints or floats).
struct JSONBody {
    let dict: [String: Any]

    init?(_ bytes: [UInt8]) {
        guard let d = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return nil }
        dict = d
    }

    init(dict: [String: Any]) { self.dict = dict }

    func has(_ key: String) -> Bool { dict[key] != nil && !(dict[key] is NSNull) }
    func string(_ key: String) -> String? { dict[key] as? String }
    func bool(_ key: String) -> Bool? { (dict[key] as? NSNumber).map { $0.boolValue } }
    func object(_ key: String) -> JSONBody? { (dict[key] as? [String: Any]).map { JSONBody(dict: $0) } }

    /// A number, or a `Problem` when present but not a number.
    func double(_ key: String) throws -> Double? {
        guard has(key) else { return nil }
        guard let n = dict[key] as? NSNumber, !isJSONBool(n), n.doubleValue.isFinite else { throw Problem("`\(key)` must be a number") }
        return n.doubleValue
    }

    func int(_ key: String) throws -> Int? {
        guard let d = try double(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else { throw Problem("`\(key)` must be an integer") }
        return Int(d)
    }

    /// A string or a list of strings.
    func strings(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        if let s = dict[key] as? String { return [s] }
        if let l = dict[key] as? [Any] {
            return try l.map { v in
                guard let s = v as? String else { throw Problem("`\(key)` must be a string or a list of strings") }
                return s
            }
        }
        throw Problem("`\(key)` must be a string or a list of strings")
    }

    struct Problem: Error { var message: String; init(_ m: String) { message = m } }
}

/// True for JSON `true`/`false` (Foundation parses them as NSNumbers that also cast to Int).
func isJSONBool(_ v: Any) -> Bool {
    guard let n = v as? NSNumber else { return false }
    return String(cString: n.objCType) == "c"
}
