import ChatCore
import Foundation
import GGUF
import Inference
import Testing
import TestSupport
import Tokenizers
@testable import Remote

/// The real binary with the real default model: `llamaterm serve` answers the remote backend
/// (both APIs) with exactly what the local engine generates for the same prompt, and the
/// independent Python clients get the same answer streamed as whole.
@Suite(.serialized) struct ServeEndToEndTests {
    /// A chat turn's prompt built the way `llamaterm chat` builds it (ChatSession, the model's
    /// format), as ids and as text.
    func chatPrompt(_ message: String) throws -> RenderedPrompt {
        let file = try GGUFFile(path: TestPaths.defaultModel.path)
        let tokenizer = try Tokenizer(metadata: file.metadata)
        var session = try ChatSession(metadata: file.metadata, tokenizer: tokenizer)
        session.setSystemPrompt("You are a helpful assistant. Answer in one sentence.")
        return try session.beginTurn(message).prompt
    }

    @Test func remoteBackendStreamsTheLocalEnginesAnswer() async throws {
        let prompt = try chatPrompt("What is the capital of France?")
        let parameters = GenerationParameters.greedy(maxTokens: 24)
        // The local engine's answer for the same ids, from the same binary.
        let idsJSON = "[" + prompt.ids.map(String.init).joined(separator: ",") + "]"
        let localRun = try await offPool {
            try runLlamaterm(["generate", "--model", TestPaths.defaultModel.path, "--prompt-ids", idsJSON, "--max-tokens", "24",
                              "--temperature", "0", "--top-k", "0", "--top-p", "1", "--min-p", "0", "--repeat-penalty", "1", "--threads", "2"])
        }
        #expect(localRun.status == 0, "\(localRun.stderr)")
        var localText = localRun.stdout
        if localText.hasSuffix("\n") { localText.removeLast() }
        #expect(!localText.isEmpty)

        let serve = try ServeProcess()
        defer { serve.stop() }
        for api in RemoteAPI.allCases {
            let client = RemoteClient(api: api, url: try ServerURL(parsing: serve.url), model: "SmolLM2-135M-Instruct.Q4_1",
                                      timeouts: RemoteTimeouts(connect: 5, firstByte: 120, betweenTokens: 60), retries: 0)
            let backend = RemoteBackend(client: client)
            var pieces: [String] = []
            var stats: GenerationStats?
            for try await e in backend.generate(prompt: prompt.ids, text: prompt.text, parameters: parameters) {
                switch e {
                case .prefilling: break
                case .text(let t): pieces.append(t)
                case .finished(let s): stats = s
                }
            }
            #expect(pieces.joined() == localText, "\(api)")
            #expect(pieces.count > 1, "\(api): the reply streamed in pieces")
            #expect(stats?.stopReason == .endOfTurn, "\(api)")
            #expect((stats?.generatedTokens ?? 0) >= pieces.count - 1, "\(api)")
        }
        // The ids-only entry point refuses clearly.
        let client = RemoteClient(api: .tgi, url: try ServerURL(parsing: serve.url), retries: 0)
        await #expect(throws: RemoteError.promptTextRequired) {
            for try await _ in RemoteBackend(client: client).generate(prompt: prompt.ids, parameters: parameters) {}
        }
    }

    @Test func pythonClientsAgainstTheRealServer() async throws {
        let serve = try ServeProcess()
        defer { serve.stop() }
        let prompt = try chatPrompt("Name a primary colour.")
        let port = serve.port
        let r = try await offPool { try runPythonClients(port: port, prompt: prompt.text, maxNewTokens: 16, model: "SmolLM2-135M-Instruct.Q4_1") }
        let streamed = r.tgi_pieces.joined()
        #expect(!streamed.isEmpty)
        #expect(r.tgi_pieces.count > 1)
        #expect(r.tgi_final == streamed)
        #expect(r.tgi_whole == streamed)
        #expect(r.oa_chunks.joined() == r.oa_whole)
        #expect(r.oa_whole == streamed)
        #expect(r.models == ["SmolLM2-135M-Instruct.Q4_1"])
    }
}
