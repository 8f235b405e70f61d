/// One server-sent event: its `event:` name (default "message"), its `data:` lines joined by
/// newlines, and its `id:`.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String
    public var data: String
    public var id: String?

    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// An incremental parser for `text/event-stream` (the WHATWG server-sent events format): feed it
/// bytes as they arrive, in pieces of any size, and it returns the events each piece completes.
/// Lines end with LF, CRLF or CR; a blank line dispatches the event; `:` lines are comments;
/// `retry:` is ignored. A UTF-8 character split across pieces is reassembled.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var data: [String] = []
    private var hasData = false
    private var eventName = ""
    private var lastID: String?
    private var sawBOM = false
    private var started = false

    public init() {}

    /// True when an event has begun (a field arrived) but its blank line has not.
    public var hasPendingEvent: Bool { hasData || !eventName.isEmpty || !line.isEmpty }

    /// The events completed by `bytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var out: [ServerSentEvent] = []
        for b in bytes {
            if !started {
                started = true
                if b == 0xEF { sawBOM = true; line.append(b); continue }
            }
            if b == 10 {
                if lastWasCR { lastWasCR = false; continue }
                endLine(&out)
            } else if b == 13 {
                lastWasCR = true
                endLine(&out)
            } else {
                lastWasCR = false
                line.append(b)
            }
        }
        return out
    }

    private mutating func endLine(_ out: inout [ServerSentEvent]) {
        var bytes = line[...]
        line.removeAll(keepingCapacity: true)
        if sawBOM {
            sawBOM = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        if bytes.isEmpty {
            if hasData {
                out.append(ServerSentEvent(event: eventName.isEmpty ? "message" : eventName, data: data.joined(separator: "\n"), id: lastID))
            }
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventName = ""
            return
        }
        if bytes.first == UInt8(ascii: ":") { return }
        let field: String
        var value: String
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: bytes[..<colon], as: UTF8.self)
            var rest = bytes[(colon + 1)...]
            if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
            value = String(decoding: rest, as: UTF8.self)
        } else {
            field = String(decoding: bytes, as: UTF8.self)
            value = ""
        }
        switch field {
        case "data":
            data.append(value)
            hasData = true
        case "event":
            eventName = value
        case "id":
            if !value.contains("\0") { lastID = value }
        default:
            value = ""
        }
    }
}
