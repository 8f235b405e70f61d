import Foundation

/// A server-sent-events response, opened on first use: each event is one JSON object.
final class EventStream {
    private let writer: ResponseWriter
    private var opened = false

    init(_ writer: ResponseWriter) { self.writer = writer }

    /// Starts the stream the first time; false once the client has gone.
    func open() -> Bool {
        if !opened {
            opened = true
            return writer.startStream(contentType: "text/event-stream")
        }
        return !writer.clientGone
    }

    /// Sends `object` as one event (an object JSON cannot encode is skipped); false once the
    /// client has gone.
    func send(_ object: [String: Any]) -> Bool {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else { return true }
        return writer.writeEvent(data: String(decoding: data, as: UTF8.self))
    }
}
