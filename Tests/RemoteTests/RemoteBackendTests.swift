import Foundation
import Inference
import Testing
@testable import Remote

/// `RemoteBackend` on the `Backend` seam, against fake servers: the text goes out without the
/// leading `<s>`, stop strings are cut, a failure keeps the text that arrived, stats are mapped.
@Suite struct RemoteBackendTests {
    func backend(_ api: RemoteAPI, _ server: FakeServer) throws -> RemoteBackend {
        RemoteBackend(client: RemoteClient(api: api, url: try ServerURL(parsing: server.url), model: "m",
                                           timeouts: RemoteTimeouts(connect: 5, firstByte: 10, betweenTokens: 10), retries: 0))
    }

    func run(_ b: RemoteBackend, text: String, stops: [String] = []) async -> (String, GenerationStats?, Error?) {
        var out = "", stats: GenerationStats?, error: Error?
        var p = GenerationParameters.greedy(maxTokens: 16)
        p.stopStrings = stops
        do {
            for try await e in b.generate(prompt: [1, 2, 3], text: text, parameters: p) {
                switch e {
                case .prefilling: break
                case .text(let t): out += t
                case .finished(let s): stats = s
                }
            }
        } catch let e { error = e }
        return (out, stats, error)
    }

    @Test func sendsTextCutsStopStringsMapsStats() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead
                + "data: {\"choices\":[{\"text\":\"Paris.\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\" [IN\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\"ST] more\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
        }
        defer { server.stop() }
        let (text, stats, error) = await run(try backend(.openai, server), text: "<s>[INST] Capital of France? [/INST]", stops: ["[INST]"])
        #expect(error == nil)
        #expect(text == "Paris. ")
        #expect(stats?.stopReason == .stopString)
        #expect(stats?.promptTokens == 3)
        let req = try #require(server.requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(req.utf8)) as? [String: Any])
        #expect(body["prompt"] as? String == "[INST] Capital of France? [/INST]")
        #expect(body["stop"] as? [String] == ["[INST]"])
    }

    @Test func failureKeepsWhatArrived() async throws {
        let server = try FakeServer { _, c, _ in FakeServer.send(c, sseHead + tgiToken("Half an") + tgiToken(" answer")) }
        defer { server.stop() }
        let (text, stats, error) = await run(try backend(.tgi, server), text: "q")
        #expect(text == "Half an answer")
        #expect(stats == nil)
        guard case .truncated? = error as? RemoteError else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func lengthAndEndOfTurn() async throws {
        let server = try FakeServer { n, c, _ in
            let reason = n == 1 ? "length" : "eos_token"
            FakeServer.send(c, sseHead + tgiToken("A")
                + "data: {\"token\":{\"id\":2,\"text\":\"</s>\",\"special\":true},\"generated_text\":\"A\",\"details\":{\"finish_reason\":\"\(reason)\",\"generated_tokens\":1}}\n\n")
        }
        defer { server.stop() }
        let b = try backend(.tgi, server)
        let first = await run(b, text: "q")
        #expect(first.0 == "A" && first.1?.stopReason == .maxTokens && first.1?.generatedTokens == 1)
        let second = await run(b, text: "q")
        #expect(second.0 == "A" && second.1?.stopReason == .endOfTurn)
    }
}
