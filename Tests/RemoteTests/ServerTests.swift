import Foundation
import Testing
import Remote
import Server
import TestSupport
import Tokenizers

/// `InferenceServer` over real sockets with a deterministic generator at its seam and the default
/// model's real tokenizer: both APIs, streamed and whole, errors, keep-alive, the queue.
@Suite struct ServerTests {
    let prompt = "<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n"

    func start(_ gen: EchoGenerator, context: Int = 2048) throws -> (InferenceServer, Tokenizer) {
        let tok = try #require(defaultTokenizer)
        let server = InferenceServer(model: gen.model(tok, context: context), port: 0)
        try server.start()
        return (server, tok)
    }

    @Test func remoteClientStreamsFromBothAPIs() async throws {
        let gen = EchoGenerator()
        let (server, tok) = try start(gen)
        defer { server.stop() }
        let ids = tok.serverTokenize(prompt, addSpecial: true)
        let expected = EchoGenerator.reply(ids, tokenizer: tok, limit: 50)
        for api in RemoteAPI.allCases {
            let client = RemoteClient(api: api, url: try ServerURL(parsing: "http://127.0.0.1:\(server.port)"), model: "echo-test",
                                      timeouts: RemoteTimeouts(connect: 2, firstByte: 10, betweenTokens: 10), retries: 0)
            let got = await collect(client.stream(prompt: prompt, parameters: RemoteParameters(maxNewTokens: 50)))
            #expect(got.error == nil, "\(api): \(String(describing: got.error))")
            #expect(got.text == expected.pieces.joined(), "\(api)")
            #expect(got.finish?.reason == (api == .tgi ? "eos_token" : "stop"))
            #expect(got.finish?.generatedTokens == expected.pieces.count)
        }
        // The server tokenized the text into the same ids as the local tokenizer (specials parsed).
        #expect(gen.calls.count == 2 && gen.calls.allSatisfy { $0.prompt == ids })
        #expect(ids.contains(try #require(tok.id(ofPiece: "<|im_start|>"))))
    }

    @Test func lengthLimitAndSamplingParameters() async throws {
        let gen = EchoGenerator()
        let (server, _) = try start(gen)
        defer { server.stop() }
        let client = RemoteClient(api: .tgi, url: try ServerURL(parsing: "http://127.0.0.1:\(server.port)"), retries: 0)
        let got = await collect(client.stream(prompt: prompt, parameters: RemoteParameters(maxNewTokens: 2, temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1, seed: 42, stop: ["\n\n"])))
        #expect(got.finish?.reason == "length")
        let p = try #require(gen.calls.first?.parameters)
        #expect(p == RemoteParameters(maxNewTokens: 2, temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1, seed: 42, stop: ["\n\n"]))
    }

    @Test func wholeAnswersInfoModelsTokenize() async throws {
        let gen = EchoGenerator()
        let (server, tok) = try start(gen)
        defer { server.stop() }
        let ids = tok.serverTokenize(prompt, addSpecial: true)
        let text = EchoGenerator.reply(ids, tokenizer: tok, limit: 100).pieces.joined()
        let body = "{\"inputs\": \(String(data: try JSONSerialization.data(withJSONObject: [prompt]), encoding: .utf8)!.dropFirst().dropLast()), \"parameters\": {\"details\": true}}"
        let (s1, b1) = try await request(server.port, "POST", "/generate", body)
        #expect(s1 == 200)
        let g = try #require(json(b1) as? [String: Any])
        #expect(g["generated_text"] as? String == text)
        #expect((g["details"] as? [String: Any])?["finish_reason"] as? String == "eos_token")
        let (s2, b2) = try await request(server.port, "POST", "/", body)
        #expect(s2 == 200)
        #expect(((json(b2) as? [Any])?.first as? [String: Any])?["generated_text"] as? String == text)
        let (s3, b3) = try await request(server.port, "POST", "/v1/completions", "{\"model\":\"echo-test\",\"prompt\":\(String(data: try JSONSerialization.data(withJSONObject: [prompt]), encoding: .utf8)!),\"max_tokens\":3,\"temperature\":0}")
        #expect(s3 == 200)
        let c = try #require(json(b3) as? [String: Any])
        let choice = try #require((c["choices"] as? [Any])?.first as? [String: Any])
        #expect(choice["text"] as? String == EchoGenerator.reply(ids, tokenizer: tok, limit: 3).pieces.joined())
        #expect(choice["finish_reason"] as? String == "length")
        #expect((c["usage"] as? [String: Any])?["prompt_tokens"] as? Int == ids.count)
        let (s4, b4) = try await request(server.port, "GET", "/info")
        #expect(s4 == 200 && (json(b4) as? [String: Any])?["max_total_tokens"] as? Int == 2048)
        let (s5, b5) = try await request(server.port, "GET", "/v1/models")
        #expect(s5 == 200 && (((json(b5) as? [String: Any])?["data"] as? [Any])?.first as? [String: Any])?["id"] as? String == "echo-test")
        let (s6, b6) = try await request(server.port, "POST", "/tokenize", "{\"inputs\": \"Hello world\"}")
        #expect(s6 == 200)
        let toks = try #require(json(b6) as? [[String: Any]])
        #expect(toks.compactMap { $0["id"] as? Int } == tok.serverTokenize("Hello world", addSpecial: true).map(Int.init))
        let (_, b7) = try await request(server.port, "POST", "/tokenize", "{\"content\": \"Hello world\"}")
        #expect(((json(b7) as? [String: Any])?["tokens"] as? [Int]) == tok.encode("Hello world", parseSpecial: true).map(Int.init))
    }

    @Test func errorsAreClear() async throws {
        let gen = EchoGenerator()
        let (server, _) = try start(gen, context: 64)
        defer { server.stop() }
        let long = String(repeating: "word ", count: 200)
        let cases: [(String, String, String, Int, String)] = [
            ("POST", "/generate", "{\"inputs\": \"\"}", 422, "cannot be empty"),
            ("POST", "/generate", "{\"inputs\": \"\(long)\"}", 422, "must be <= 64"),
            ("POST", "/generate", "{\"inputs\": \"hi\", \"parameters\": {\"top_p\": 1.0}}", 422, "top_p"),
            ("POST", "/generate", "not json", 422, "deserialize"),
            ("POST", "/v1/completions", "{\"prompt\": \"hi\", \"n\": 3}", 400, "n must be 1"),
            ("POST", "/v1/completions", "{\"prompt\": \"\(long)\"}", 400, "prompt"),
            ("GET", "/nowhere", "", 404, "no route"),
            ("GET", "/generate", "", 405, "not allowed"),
        ]
        for (m, path, body, status, text) in cases {
            let (s, b) = try await request(server.port, m, path, body)
            #expect(s == status, "\(m) \(path) \(body.prefix(40))")
            #expect(b.contains(text), "\(m) \(path): \(b)")
        }
        #expect(gen.calls.isEmpty)
        // Through the client: the server's text reaches the user.
        let client = RemoteClient(api: .tgi, url: try ServerURL(parsing: "http://127.0.0.1:\(server.port)"), retries: 0)
        let got = await collect(client.stream(prompt: long, parameters: RemoteParameters(maxNewTokens: 8)))
        guard case .httpError(_, 422, let message)? = got.remoteError else { Issue.record("got \(String(describing: got.error))"); return }
        #expect(message.contains("must be <= 64"))
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let gen = EchoGenerator()
        let (server, _) = try start(gen)
        defer { server.stop() }
        try await offPool { try Self.keepAlive(port: server.port) }
    }

    static func keepAlive(port: Int) throws {
        // Generous hang guards: the suite runs model tests on both cores at the same time.
        let sock = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: 30, label: "test")
        defer { sock.close() }
        let reader = SocketReader(socket: sock, timeout: 30)
        for _ in 0..<3 {
            try sock.write(Array("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n".utf8), timeout: 30)
            let head = try HTTPHeadParser.response(try #require(try reader.readHead()))
            #expect(head.status == 200)
            #expect(head.headers["Connection"] == "keep-alive")
            var body = HTTPBodyReader(reader: reader, framing: try HTTPBodyReader.framing(of: head.headers, defaultsToEmpty: false))
            #expect(String(decoding: try body.readAll(limit: 1 << 20), as: UTF8.self).contains("echo-test"))
        }
        // A streamed (chunked) answer, then one more request on the same connection.
        let req = "{\"inputs\": \"hello\", \"parameters\": {\"max_new_tokens\": 2}}"
        try sock.write(Array("POST /generate_stream HTTP/1.1\r\nHost: x\r\nContent-Length: \(req.utf8.count)\r\n\r\n\(req)".utf8), timeout: 2)
        let head = try HTTPHeadParser.response(try #require(try reader.readHead()))
        #expect(head.headers["Transfer-Encoding"] == "chunked")
        var body = HTTPBodyReader(reader: reader, framing: .chunked)
        let events = String(decoding: try body.readAll(limit: 1 << 20), as: UTF8.self)
        #expect(events.components(separatedBy: "data:").count == 4)  // 2 tokens + the final event
        try sock.write(Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), timeout: 2)
        #expect(try HTTPHeadParser.response(try #require(try reader.readHead())).status == 200)
    }

    @Test func oneGenerationAtATime() async throws {
        let gen = EchoGenerator(delay: 0.02)
        let (server, _) = try start(gen)
        defer { server.stop() }
        let client = RemoteClient(api: .openai, url: try ServerURL(parsing: "http://127.0.0.1:\(server.port)"), retries: 0)
        let results = await withTaskGroup(of: Collected.self) { group in
            for i in 0..<4 {
                group.addTask { await collect(client.stream(prompt: "request number \(i)", parameters: RemoteParameters(maxNewTokens: 5))) }
            }
            var all: [Collected] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.allSatisfy { $0.error == nil && $0.text.hasPrefix("Echo:") })
        #expect(gen.calls.count == 4)
        #expect(gen.maxRunning == 1)
    }

    @Test func clientThatLeavesStopsTheGeneration() async throws {
        let gen = EchoGenerator(delay: 0.2)
        let (server, _) = try start(gen)
        defer { server.stop() }
        let client = RemoteClient(api: .tgi, url: try ServerURL(parsing: "http://127.0.0.1:\(server.port)"), retries: 0)
        let stream = client.stream(prompt: "one two three four five six", parameters: RemoteParameters(maxNewTokens: 50))
        let task = Task { for try await _ in stream {} }
        let started = Date().addingTimeInterval(5)
        while gen.calls.isEmpty && Date() < started { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()  // what Stop does: the client closes the socket, the server stops generating
        _ = await task.result
        let deadline = Date().addingTimeInterval(5)
        while gen.cancelCount == 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(gen.cancelCount == 1)
    }
}

/// The server checked by clients nobody here wrote (with the deterministic generator; the
/// end-to-end tests repeat this against `llamaterm serve` and the real model).
@Suite struct PythonClientsAgainstServerTests {
    @Test func huggingFaceHubAndOpenAIClients() async throws {
        let tok = try #require(defaultTokenizer)
        let gen = EchoGenerator()
        let server = InferenceServer(model: gen.model(tok), port: 0)
        try server.start()
        defer { server.stop() }
        let prompt = "<|im_start|>user\nWhat is two plus two?<|im_end|>\n<|im_start|>assistant\n"
        let expected = EchoGenerator.reply(tok.serverTokenize(prompt, addSpecial: true), tokenizer: tok, limit: 5)
        let port = server.port
        let r = try await offPool { try runPythonClients(port: port, prompt: prompt, maxNewTokens: 5, model: "echo-test") }
        #expect(r.tgi_pieces == expected.pieces)
        #expect(r.tgi_final == expected.pieces.joined())
        #expect(r.tgi_whole == expected.pieces.joined())
        #expect(r.tgi_reason == "length")
        #expect(r.oa_chunks.joined() == expected.pieces.joined())
        #expect(r.oa_whole == expected.pieces.joined())
        #expect(r.oa_reason == "length")
        #expect(r.oa_usage == 5)
        #expect(r.models == ["echo-test"])
    }
}
