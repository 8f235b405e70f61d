import Foundation
import Testing
@testable import Remote

/// The remote client against small fake servers that misbehave: each failure becomes the right
/// `RemoteError`, the text that arrived is kept, and nothing hangs (every timeout is short here).
@Suite struct RemoteClientFailureTests {
    /// Generous waits for tests that are not about timeouts (the machine may be busy).
    let quick = RemoteTimeouts(connect: 5, firstByte: 10, betweenTokens: 10)
    /// One-second waits for the timeout tests.
    let short = RemoteTimeouts(connect: 5, firstByte: 1, betweenTokens: 1)

    func client(_ api: RemoteAPI, _ server: FakeServer, retries: Int = 0, timeouts: RemoteTimeouts? = nil) throws -> RemoteClient {
        RemoteClient(api: api, url: try ServerURL(parsing: server.url), model: "m", timeouts: timeouts ?? quick, retries: retries, retryDelay: 0.05)
    }

    @Test func tgiStreamThatCompletes() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead + tgiToken("Hel") + tgiToken("lo") +
                "data: {\"index\":3,\"token\":{\"id\":2,\"text\":\"</s>\",\"logprob\":0,\"special\":true},\"generated_text\":\"Hello\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,\"seed\":null}}\n\n")
        }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server).stream(prompt: "[INST] hi [/INST]", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(got.error == nil)
        #expect(got.text == "Hello")
        #expect(got.finish == RemoteFinish(reason: "eos_token", generatedTokens: 3))
        let body = try #require(server.requests.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["inputs"] as? String == "[INST] hi [/INST]")
        #expect(json["stream"] as? Bool == true)
        let params = try #require(json["parameters"] as? [String: Any])
        #expect(params["max_new_tokens"] as? Int == 8)
        #expect(params["do_sample"] as? Bool == false)
        #expect(params["temperature"] == nil)
    }

    @Test func serverClosesMidStream() async throws {
        for api in RemoteAPI.allCases {
            let server = try FakeServer { _, c, _ in
                switch api {
                case .tgi: FakeServer.send(c, sseHead + tgiToken("The ") + tgiToken("answer"))
                case .openai: FakeServer.send(c, sseHead + "data: {\"choices\":[{\"text\":\"The \",\"index\":0,\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"text\":\"answer\",\"index\":0,\"finish_reason\":null}]}\n\n")
                }
            }
            defer { server.stop() }
            let got = await collect(try client(api, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
            #expect(got.text == "The answer", "\(api)")
            guard case .truncated(let url, _)? = got.remoteError else {
                Issue.record("\(api): expected truncated, got \(String(describing: got.error))"); continue
            }
            #expect(url.hasSuffix(api.streamPath))
            #expect(String(describing: got.error!).contains("partial reply is kept"))
        }
    }

    @Test func chunkedStreamWithoutItsLastChunk() async throws {
        let server = try FakeServer { _, c, _ in
            let event = tgiToken("Par")
            FakeServer.send(c, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(event.utf8.count, radix: 16) + "\r\n" + event + "\r\n")
        }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(got.text == "Par")
        guard case .truncated(_, let detail)? = got.remoteError else { Issue.record("got \(String(describing: got.error))"); return }
        #expect(detail.contains("final"))
    }

    @Test func streamEndingInsideAnEvent() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead + tgiToken("Half") + "data: {\"index\":2,\"tok")
        }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(got.text == "Half")
        guard case .truncated(_, let detail)? = got.remoteError else { Issue.record("got \(String(describing: got.error))"); return }
        #expect(detail.contains("inside an event"))
    }

    @Test func malformedEvent() async throws {
        for api in RemoteAPI.allCases {
            let server = try FakeServer { _, c, _ in
                let first = api == .tgi ? tgiToken("Good") : "data: {\"choices\":[{\"text\":\"Good\",\"finish_reason\":null}]}\n\n"
                FakeServer.send(c, sseHead + first + "data: {not json at all\n\n" + tgiToken(" never"))
                Thread.sleep(forTimeInterval: 0.3)
            }
            defer { server.stop() }
            let got = await collect(try client(api, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
            #expect(got.text == "Good", "\(api)")
            guard case .malformedResponse(_, let detail)? = got.remoteError else {
                Issue.record("\(api): got \(String(describing: got.error))"); continue
            }
            #expect(detail.contains("not json at all"))
        }
    }

    @Test func errorEventInsideTheStream() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead + tgiToken("Par") + "data: {\"error\":\"Request failed during generation: CUDA out of memory\",\"error_type\":\"generation\"}\n\n")
        }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(got.text == "Par")
        #expect(got.remoteError == .serverError(url: "\(server.url)/generate_stream", message: "Request failed during generation: CUDA out of memory (generation)"))
    }

    @Test func serverThatNeverAnswers() async throws {
        let server = try FakeServer { _, c, s in s.waitForClientClose(c, seconds: 10) }
        defer { server.stop() }
        let start = Date()
        let got = await collect(try client(.openai, server, timeouts: short).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(got.text == "")
        #expect(got.remoteError == .responseTimeout(url: "\(server.url)/v1/completions", seconds: 1, received: false))
    }

    @Test func serverThatStallsBetweenTokens() async throws {
        let server = try FakeServer { _, c, s in
            FakeServer.send(c, sseHead + tgiToken("Once"))
            s.waitForClientClose(c, seconds: 10)
        }
        defer { server.stop() }
        let start = Date()
        let got = await collect(try client(.tgi, server, timeouts: short).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(got.text == "Once")
        #expect(got.remoteError == .responseTimeout(url: "\(server.url)/generate_stream", seconds: 1, received: true))
    }

    @Test func httpErrorKeepsTheServersText() async throws {
        let server = try FakeServer { n, c, _ in
            let body = n == 1 ? "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096\",\"error_type\":\"validation\"}"
                : "{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}"
            FakeServer.send(c, "HTTP/1.1 \(n == 1 ? 422 : 500) Whatever\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        }
        defer { server.stop() }
        let a = await collect(try client(.tgi, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(a.remoteError == .httpError(url: "\(server.url)/generate_stream", status: 422,
                                             message: "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096"))
        let b = await collect(try client(.openai, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(b.remoteError == .httpError(url: "\(server.url)/v1/completions", status: 500, message: "model overloaded"))
        #expect(String(describing: b.error!) == "\(server.url)/v1/completions answered HTTP 500 Internal Server Error: model overloaded")
    }

    @Test func connectionRefused() async throws {
        // A port held bound but not listening: connecting to it is refused.
        let closed = try ClosedPort()
        let port = closed.port
        let c = RemoteClient(api: .tgi, url: try ServerURL(parsing: "http://127.0.0.1:\(port)"), timeouts: quick, retries: 2, retryDelay: 0.05)
        let start = Date()
        let got = await collect(c.stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        // Refusal is immediate; the bound only guards against waiting out the connect timeout on
        // each of the three attempts (15 s), with room for a suite that runs models in parallel.
        #expect(Date().timeIntervalSince(start) < 10)
        withExtendedLifetime(closed) {}
        #expect(got.remoteError == .connectionRefused(url: "http://127.0.0.1:\(port)/generate_stream"))
    }

    @Test func retriesOnlyBeforeAnythingStreamed() async throws {
        // First connection: 503. Second: streams a token, then closes. No third attempt.
        let server = try FakeServer { n, c, _ in
            if n == 1 {
                FakeServer.send(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 13\r\n\r\nModel loading")
            } else {
                FakeServer.send(c, sseHead + tgiToken("Partial"))
            }
        }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server, retries: 3).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8)))
        #expect(got.text == "Partial")
        guard case .truncated? = got.remoteError else { Issue.record("got \(String(describing: got.error))"); return }
        #expect(server.connections == 2)
    }

    @Test func cancellingClosesTheConnection() async throws {
        let server = try FakeServer { _, c, s in
            FakeServer.send(c, sseHead + tgiToken("Tick"))
            s.waitForClientClose(c, seconds: 10)
        }
        defer { server.stop() }
        let stream = try client(.tgi, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 8))
        let task = Task { () -> String in
            var text = ""
            for try await e in stream { if case .text(let t) = e { text += t } }
            return text
        }
        let deadline = Date().addingTimeInterval(3)
        while server.connections == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        // Cancelling ends the iteration (the partial text is what arrived) or throws CancellationError.
        switch result {
        case .success(let text): #expect(text == "Tick")
        case .failure(let error): #expect(error is CancellationError)
        }
        let closeDeadline = Date().addingTimeInterval(3)
        while server.closedByClient == 0 && Date() < closeDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.closedByClient == 1)
    }

    @Test func openAIStreamWithDone() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead
                + "data: {\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"Bon\",\"index\":0,\"finish_reason\":null}]}\n\n"
                + ": keep-alive comment\n\n"
                + "data: {\"id\":\"x\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"jour\",\"index\":0,\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\n"
                + "data: [DONE]\n\n")
        }
        defer { server.stop() }
        let got = await collect(try client(.openai, server).stream(prompt: "p", parameters: RemoteParameters(maxNewTokens: 2, temperature: 0.7, topK: 40, topP: 0.9, seed: 7)))
        #expect(got.error == nil)
        #expect(got.text == "Bonjour")
        #expect(got.finish == RemoteFinish(reason: "length", generatedTokens: 2, promptTokens: 4))
        let req = try #require(server.requests.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(req.utf8)) as? [String: Any])
        #expect(json["model"] as? String == "m")
        #expect(json["top_k"] as? Int == 40)
        #expect(json["seed"] as? Int == 7)
    }
}
