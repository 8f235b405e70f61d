import Foundation

/// Streams completions from a TGI or OpenAI-compatible server. The prompt is text (built locally,
/// exactly as the prompt inspector shows it); the reply streams back as `RemoteEvent`s.
///
/// Each request runs on its own thread with blocking sockets and bounded waits. Cancelling the
/// consuming task (or dropping the stream) closes the socket at once. A failure before any text
/// arrived is retried `retries` times (connect errors, 429/502/503); after text arrived the stream
/// yields what came, then throws a `RemoteError` saying what went wrong.
public struct RemoteClient: Sendable {
    public var api: RemoteAPI
    public var url: ServerURL
    /// Sent as `Authorization: Bearer KEY`; never logged.
    public var apiKey: String?
    /// The model name for OpenAI requests (`model`), nil to leave it out.
    public var model: String?
    public var timeouts: RemoteTimeouts
    /// Extra attempts when nothing was streamed yet.
    public var retries: Int
    /// Seconds before the first retry (doubled each time).
    public var retryDelay: Double

    public init(api: RemoteAPI, url: ServerURL, apiKey: String? = nil, model: String? = nil,
                timeouts: RemoteTimeouts = RemoteTimeouts(), retries: Int = 2, retryDelay: Double = 0.5) {
        self.api = api
        // OpenAI paths are `/v1/...`; accept a base URL given with or without its `/v1`.
        self.url = api == .openai ? url.withoutVersionSuffix : url
        self.apiKey = apiKey
        self.model = model
        self.timeouts = timeouts
        self.retries = retries
        self.retryDelay = retryDelay
    }

    /// The URL a reply came from, for provenance.
    public var endpoint: String { "\(url)\(api.streamPath)" }

    var authHeaders: [(String, String)] { apiKey.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    /// Streams the continuation of `prompt`.
    public func stream(prompt: String, parameters: RemoteParameters) -> AsyncThrowingStream<RemoteEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<RemoteEvent, Error>.makeStream()
        let control = StreamControl()
        continuation.onTermination = { _ in control.cancel() }
        let client = self
        let thread = Thread {
            client.run(prompt: prompt, parameters: parameters, control: control, continuation: continuation)
        }
        thread.name = "llamaterm.remote"
        thread.start()
        return stream
    }

    private func run(prompt: String, parameters: RemoteParameters, control: StreamControl,
                     continuation: AsyncThrowingStream<RemoteEvent, Error>.Continuation) {
        let body: [UInt8]
        switch api {
        case .tgi: body = RequestBodies.encode(RequestBodies.tgi(prompt: prompt, parameters, stream: true))
        case .openai: body = RequestBodies.encode(RequestBodies.openAI(prompt: prompt, model: model, parameters, stream: true))
        }
        var attempt = 0
        var delay = retryDelay
        while true {
            let exchange = HTTPExchange(url: url, timeouts: timeouts)
            guard control.begin(exchange) else { continuation.finish(throwing: CancellationError()); return }
            var streamedAny = false
            do {
                try attemptOnce(exchange: exchange, body: body, streamedAny: &streamedAny, continuation: continuation)
                exchange.close()
                continuation.finish()
                return
            } catch {
                exchange.close()
                if control.isCancelled || error is CancellationError {
                    continuation.finish(throwing: CancellationError())
                    return
                }
                if !streamedAny, attempt < retries, let r = error as? RemoteError, r.isRetryable {
                    attempt += 1
                    let wait = delay
                    delay *= 2
                    if control.sleep(wait) { continue }
                    continuation.finish(throwing: CancellationError())
                    return
                }
                continuation.finish(throwing: error)
                return
            }
        }
    }

    private func attemptOnce(exchange: HTTPExchange, body: [UInt8], streamedAny: inout Bool,
                             continuation: AsyncThrowingStream<RemoteEvent, Error>.Continuation) throws {
        let path = api.streamPath
        let label = exchange.label(path)
        var (head, reader) = try exchange.send(method: "POST", path: path,
                                               headers: authHeaders + [("Accept", "text/event-stream")], body: body)
        guard (200..<300).contains(head.status) else {
            let text = (try? exchange.readAll(&reader, path: path, limit: 1 << 20)).map(serverErrorMessage) ?? ""
            throw RemoteError.httpError(url: label, status: head.status, message: text)
        }
        let contentType = head.headers["Content-Type"]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            // The server ignored `stream: true`: take the whole answer.
            let all = try exchange.readAll(&reader, path: path)
            let (text, finish) = try Self.decodeWhole(all, api: api, label: label)
            if !text.isEmpty { streamedAny = true; continuation.yield(.text(text)) }
            continuation.yield(.finished(finish))
            return
        }
        var parser = SSEParser()
        var finished = false
        let api = self.api
        func decode(_ data: String, _ label: String) throws -> StreamStep {
            api == .tgi ? try TGIStreamDecoder.decode(data, label: label) : try OpenAIStreamDecoder.decode(data, label: label)
        }
        while let bytes = try exchange.next(&reader, path: path, received: true) {
            for event in parser.feed(bytes) {
                if finished && api == .tgi { continue }
                switch try decode(event.data, label) {
                case .text(let t):
                    if finished { continue }
                    if !t.isEmpty { streamedAny = true; continuation.yield(.text(t)) }
                case let .finished(f, trailing):
                    if !trailing.isEmpty { streamedAny = true; continuation.yield(.text(trailing)) }
                    if !finished { continuation.yield(.finished(f)) }
                    finished = true
                case .done:
                    if !finished {
                        throw RemoteError.malformedResponse(url: label, detail: "the stream ended ([DONE]) without a finish reason")
                    }
                    return
                case .ignore:
                    break
                }
            }
            if finished && api == .tgi { return }
        }
        if parser.hasPendingEvent {
            throw RemoteError.truncated(url: label, detail: "the event stream ended inside an event")
        }
        if !finished {
            throw RemoteError.truncated(url: label, detail: "the event stream ended before the reply's last event")
        }
    }

    /// A non-streamed answer: TGI `{"generated_text", "details"}` (or a list of them), OpenAI
    /// `{"choices": [{"text", "finish_reason"}], "usage"}`.
    static func decodeWhole(_ body: [UInt8], api: RemoteAPI, label: String) throws -> (String, RemoteFinish) {
        var obj = try? JSONSerialization.jsonObject(with: Data(body))
        if let list = obj as? [Any] { obj = list.first }
        guard let dict = obj as? [String: Any] else {
            throw RemoteError.malformedResponse(url: label, detail: "the answer is not a JSON object: \(snippet(String(decoding: body, as: UTF8.self)))")
        }
        if let e = dict["error"], !(e is NSNull) { throw RemoteError.serverError(url: label, message: errorText(e, type: dict["error_type"])) }
        switch api {
        case .tgi:
            guard let text = dict["generated_text"] as? String else {
                throw RemoteError.malformedResponse(url: label, detail: "the answer has no \"generated_text\"")
            }
            let details = dict["details"] as? [String: Any]
            return (text, RemoteFinish(reason: details?["finish_reason"] as? String ?? "unknown",
                                       generatedTokens: (details?["generated_tokens"] as? NSNumber)?.intValue))
        case .openai:
            guard let choice = (dict["choices"] as? [Any])?.first as? [String: Any], let text = choice["text"] as? String else {
                throw RemoteError.malformedResponse(url: label, detail: "the answer has no choices[0].text")
            }
            let usage = dict["usage"] as? [String: Any]
            return (text, RemoteFinish(reason: choice["finish_reason"] as? String ?? "unknown",
                                       generatedTokens: (usage?["completion_tokens"] as? NSNumber)?.intValue,
                                       promptTokens: (usage?["prompt_tokens"] as? NSNumber)?.intValue))
        }
    }
}

/// Lets the consumer's cancellation reach the request thread: the current exchange, a flag, and a
/// wake-up for the retry delay.
final class StreamControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false
    private var exchange: HTTPExchange?

    var isCancelled: Bool { condition.lock(); defer { condition.unlock() }; return cancelled }

    /// Makes `e` the current exchange; false when already cancelled.
    func begin(_ e: HTTPExchange) -> Bool {
        condition.lock(); defer { condition.unlock() }
        if cancelled { return false }
        exchange = e
        return true
    }

    func cancel() {
        condition.lock()
        cancelled = true
        let e = exchange
        condition.broadcast()
        condition.unlock()
        e?.cancel()
    }

    /// Sleeps `seconds`; false when cancelled meanwhile.
    func sleep(_ seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while !cancelled && Date() < until { _ = condition.wait(until: until) }
        return !cancelled
    }
}
