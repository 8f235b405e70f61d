import Foundation
@testable import Storage
import Testing
import TestSupport

@Suite("ReplyWriter throttles saves of a streaming reply")
struct ReplyWriterTests {
    @Test("saves at most once per interval while streaming, always the final state")
    func throttles() throws {
        let t = try TempStore("writer")
        let c = try t.store.createConversation(NewConversation())
        var writer = try ReplyWriter.begin(store: t.store, conversationId: c.id, provenance: nil, interval: .milliseconds(300))
        let start = ContinuousClock.now
        var expected = ""
        for i in 0..<120 {
            let piece = "w\(i) "
            expected += piece
            try writer.append(piece, tokens: 1)
            Thread.sleep(forTimeInterval: 0.008)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // One save per 0.3 s of streaming, never more.
        #expect(writer.saveCount >= 1)
        #expect(Double(writer.saveCount) <= seconds / 0.3 + 1)
        let mid = try t.store.conversation(c.id).messages[0]
        #expect(mid.status == .partial && expected.hasPrefix(mid.content) && mid.content.count < expected.count + 1)
        try writer.finish(status: .complete, provenance: ReplyProvenance(decodeTokens: 120))
        let done = try t.store.conversation(c.id).messages[0]
        #expect(done.content == expected && done.status == .complete && done.tokenCount == 120)
        #expect(done.provenance?.decodeTokens == 120)
    }

    @Test("flush saves pending text immediately; a cancelled reply keeps its text")
    func flushAndCancel() throws {
        let t = try TempStore("writer-flush")
        let c = try t.store.createConversation(NewConversation())
        var writer = try ReplyWriter.begin(store: t.store, conversationId: c.id, provenance: nil, interval: .seconds(60))
        try writer.append("Hello")
        #expect(try t.store.conversation(c.id).messages[0].content == "")
        try writer.flush()
        #expect(try t.store.conversation(c.id).messages[0].content == "Hello")
        try writer.append(", wor")
        try writer.finish(status: .cancelled)
        let m = try t.store.conversation(c.id).messages[0]
        #expect(m.content == "Hello, wor" && m.status == .cancelled)
    }
}
