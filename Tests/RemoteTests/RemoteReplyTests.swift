import Foundation
import Testing
@testable import Remote

/// `RemoteClient.streamReply`, what the UI's remote engine and `RemoteBackend` run: the prompt
/// text goes out without its leading `<s>`, stop strings are cut even across pieces, and a
/// failure keeps the text that arrived.
@Suite struct RemoteReplyTests {
    func client(_ api: RemoteAPI, _ server: FakeServer) throws -> RemoteClient {
        RemoteClient(api: api, url: try ServerURL(parsing: server.url), model: "m",
                     timeouts: RemoteTimeouts(connect: 5, firstByte: 10, betweenTokens: 10), retries: 0)
    }

    @Test func dropsBOSAndCutsStopStrings() async throws {
        let server = try FakeServer { _, c, _ in
            FakeServer.send(c, sseHead
                + "data: {\"choices\":[{\"text\":\"Paris.\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\" [IN\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\"ST] more\",\"finish_reason\":null}]}\n\n"
                + "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
        }
        defer { server.stop() }
        let got = await collect(try client(.openai, server).streamReply(
            promptText: "<s>[INST] Capital of France? [/INST]", parameters: RemoteParameters(maxNewTokens: 16, stop: ["[INST]"])))
        #expect(got.error == nil)
        #expect(got.text == "Paris. ")
        #expect(got.finish?.reason == "stop_sequence")
        let req = try #require(server.requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(req.utf8)) as? [String: Any])
        #expect(body["prompt"] as? String == "[INST] Capital of France? [/INST]")
        #expect(body["stop"] as? [String] == ["[INST]"])
    }

    @Test func failureKeepsWhatArrivedIncludingHeldBackText() async throws {
        let server = try FakeServer { _, c, _ in FakeServer.send(c, sseHead + tgiToken("Half an") + tgiToken(" answer [") ) }
        defer { server.stop() }
        let got = await collect(try client(.tgi, server).streamReply(promptText: "q", parameters: RemoteParameters(maxNewTokens: 16, stop: ["[INST]"])))
        #expect(got.text == "Half an answer [")
        #expect(got.finish == nil)
        guard case .truncated? = got.remoteError else { Issue.record("got \(String(describing: got.error))"); return }
    }
}
