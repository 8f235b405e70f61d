import Testing
@testable import Remote

@Suite struct SSEParserTests {
    @Test func eventsSplitAnywhere() {
        let text = "event: ping\r\ndata: one\r\ndata: two\r\n\r\n: comment\ndata: {\"a\": \"é\"}\nid: 7\n\ndata\n\n"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var p = SSEParser()
            let events = p.feed(bytes[..<cut]) + p.feed(bytes[cut...])
            #expect(events == [ServerSentEvent(event: "ping", data: "one\ntwo"),
                               ServerSentEvent(data: "{\"a\": \"é\"}", id: "7"),
                               ServerSentEvent(data: "", id: "7")], "cut at \(cut)")
            #expect(!p.hasPendingEvent)
        }
    }

    @Test func byteByByteWithCRLineEndings() {
        var p = SSEParser()
        var events: [ServerSentEvent] = []
        for b in "data: a\r\rdata:b\r\n\r\n".utf8 { events += p.feed([b]) }
        #expect(events == [ServerSentEvent(data: "a"), ServerSentEvent(data: "b")])
    }

    @Test func pendingEventAtEnd() {
        var p = SSEParser()
        #expect(p.feed(Array("data: x\n".utf8)).isEmpty)
        #expect(p.hasPendingEvent)
    }
}

@Suite struct ServerURLTests {
    @Test func parses() throws {
        let u = try ServerURL(parsing: "http://gpu-box:8080/v1/")
        #expect(u.host == "gpu-box" && u.port == 8080 && u.basePath == "/v1")
        #expect(u.path("/completions") == "/v1/completions")
        #expect(u.withoutVersionSuffix.basePath == "")
        #expect(try ServerURL(parsing: "http://[::1]:99").host == "::1")
        #expect(try ServerURL(parsing: "http://localhost").port == 80)
    }

    @Test func refusesBadURLs() {
        for bad in ["https://x", "ftp://x", "http://", "http://h:0", "http://h:99999", "http://u:p@h", "localhost:8080"] {
            #expect(throws: RemoteError.self, "\(bad)") { try ServerURL(parsing: bad) }
        }
    }
}
