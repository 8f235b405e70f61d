import Foundation
import Testing
@testable import Remote
import Inference
import Server
import Tokenizers

@Suite struct RemoteTokenCountingTests {
    @Test func serverTokenizerCountsWithTheServersVocabulary() async throws {
        let tok = try #require(defaultTokenizer)
        let server = InferenceServer(model: EchoGenerator().model(tok), port: 0)
        try server.start()
        defer { server.stop() }
        let port = server.port
        for api in RemoteAPI.allCases {
            let base = api == .tgi ? "http://127.0.0.1:\(port)" : "http://127.0.0.1:\(port)/v1"
            let ids = try await offPool { () -> [TokenID] in
                let st = try #require(ServerTokenizer.probe(api: api, url: try ServerURL(parsing: base), apiKey: nil))
                #expect(st.endpoint == "http://127.0.0.1:\(port)/tokenize")
                return st.encode("Name three colours, please.", addBOS: false, parseSpecial: false)
            }
            #expect(ids == tok.encode("Name three colours, please.", addBOS: false, parseSpecial: true), "\(api)")
        }
    }

    @Test func setupAgainstOurServer() async throws {
        let tok = try #require(defaultTokenizer)
        let server = InferenceServer(model: EchoGenerator().model(tok, context: 1500), port: 0)
        try server.start()
        defer { server.stop() }
        let s = try await RemoteSetup.connect(api: .openai, url: "http://127.0.0.1:\(server.port)/v1", apiKey: "secret", model: nil, tokenizerPath: nil)
        #expect(s.modelName == "echo-test")
        #expect(s.serverContext == 1500)
        #expect(s.tokenCounts == .server(url: "http://127.0.0.1:\(server.port)/tokenize"))
        #expect(s.metadata.int("llama.context_length") == 1500)
        #expect(s.provenance == RemoteProvenance(api: .openai, serverURL: "http://127.0.0.1:\(server.port)/v1/completions", model: "echo-test"))
    }

    @Test func setupRefusesAnUnreachableServer() async throws {
        let closed = try ClosedPort()
        let port = closed.port
        await #expect(throws: RemoteError.connectionRefused(url: "http://127.0.0.1:\(port)/info")) {
            try await RemoteSetup.connect(api: .tgi, url: "http://127.0.0.1:\(port)", apiKey: nil, model: nil, tokenizerPath: nil)
        }
        withExtendedLifetime(closed) {}
    }

    @Test func estimateRoundsUpAndSpecialsAreOneToken() {
        let e = EstimatingTokenizer(bytesPerToken: 3)
        #expect(e.encode("abcd", addBOS: false, parseSpecial: false).count == 2)
        #expect(e.encode("abcdef", addBOS: true, parseSpecial: false).count == 3)
        let a = e.id(ofPiece: "<|im_start|>"), b = e.id(ofPiece: "<|im_end|>")
        #expect(a != nil && b != nil && a != b && e.isControl(a!))
        #expect(e.id(ofPiece: "[INST]") == nil)
        #expect(TokenCountSource.estimate(bytesPerToken: 3).description.contains("ESTIMATES"))
    }

    @Test func stopFilterNeverShowsAStopString() {
        var f = StopStringMatcher(stops: ["</answer>", "\n\nUser:"])
        var shown = ""
        var stopped = false
        for piece in ["The", " answer", " is 4.", "</ans", "wer> and more"] {
            let (emit, s) = f.append(piece)
            shown += emit
            if s { stopped = true; break }
        }
        #expect(stopped)
        #expect(shown == "The answer is 4.")
        var g = StopStringMatcher(stops: ["STOP"])
        #expect(g.append("abcST").emit == "abc")
        #expect(g.flush() == "ST")
    }
}
