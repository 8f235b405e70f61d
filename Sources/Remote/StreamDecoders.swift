import Foundation

/// Turns one event of a server's stream into what it means for the reply.
enum StreamStep: Equatable {
    case text(String)
    case finished(RemoteFinish, trailingText: String)
    case done
    case ignore
}

/// The part both stream formats share: blank data is ignored, `[DONE]` ends the stream, anything
/// else must be a JSON object.
enum StreamEvent {
    case step(StreamStep)
    case object([String: Any], trimmed: String)

    static func parse(_ data: String, label: String) throws -> StreamEvent {
        let trimmed = data.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .step(.ignore) }
        if trimmed == "[DONE]" { return .step(.done) }
        guard let obj = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
            throw RemoteError.malformedResponse(url: label, detail: "an event's data is not a JSON object: \(snippet(trimmed))")
        }
        return .object(obj, trimmed: trimmed)
    }

    /// The step of a `.step` event (`.ignore` for an object, which the format decodes itself).
    var step: StreamStep {
        if case .step(let s) = self { return s }
        return .ignore
    }
}

/// The data of TGI's `/generate_stream` events: `{"token": {"text", "special"}, "generated_text",
/// "details": {"finish_reason", "generated_tokens"}}`, or `{"error": "..."}`.
enum TGIStreamDecoder {
    static func decode(_ data: String, label: String) throws -> StreamStep {
        let event = try StreamEvent.parse(data, label: label)
        guard case .object(let obj, let trimmed) = event else { return event.step }
        if let e = obj["error"], !(e is NSNull) {
            throw RemoteError.serverError(url: label, message: errorText(e, type: obj["error_type"]))
        }
        guard let token = obj["token"] as? [String: Any] else {
            throw RemoteError.malformedResponse(url: label, detail: "an event has no \"token\": \(snippet(trimmed))")
        }
        guard let text = token["text"] as? String else {
            throw RemoteError.malformedResponse(url: label, detail: "a token has no \"text\": \(snippet(trimmed))")
        }
        let special = token["special"] as? Bool ?? false
        let piece = special ? "" : text
        if let generated = obj["generated_text"], !(generated is NSNull) {
            let details = obj["details"] as? [String: Any]
            let reason = details?["finish_reason"] as? String ?? "unknown"
            let count = (details?["generated_tokens"] as? NSNumber)?.intValue
            return .finished(RemoteFinish(reason: reason, generatedTokens: count), trailingText: piece)
        }
        return .text(piece)
    }
}

/// The data of OpenAI `/v1/completions` stream chunks: `{"choices": [{"text", "finish_reason"}],
/// "usage"?}`, `{"error": {...}}`, and the final `[DONE]`.
enum OpenAIStreamDecoder {
    static func decode(_ data: String, label: String) throws -> StreamStep {
        let event = try StreamEvent.parse(data, label: label)
        guard case .object(let obj, let trimmed) = event else { return event.step }
        if let e = obj["error"], !(e is NSNull) {
            throw RemoteError.serverError(url: label, message: errorText(e, type: nil))
        }
        guard let choices = obj["choices"] as? [Any] else {
            throw RemoteError.malformedResponse(url: label, detail: "a chunk has no \"choices\": \(snippet(trimmed))")
        }
        guard let choice = choices.first as? [String: Any] else {
            // Some servers send a last chunk with only "usage".
            return .ignore
        }
        let text = choice["text"] as? String ?? ""
        if let reason = choice["finish_reason"] as? String {
            let usage = obj["usage"] as? [String: Any]
            return .finished(RemoteFinish(reason: reason,
                                          generatedTokens: (usage?["completion_tokens"] as? NSNumber)?.intValue,
                                          promptTokens: (usage?["prompt_tokens"] as? NSNumber)?.intValue),
                             trailingText: text)
        }
        return .text(text)
    }
}

func snippet(_ s: String) -> String {
    let one = s.replacingOccurrences(of: "\n", with: " ")
    return one.count > 120 ? "\"\(one.prefix(120))...\"" : "\"\(one)\""
}

func errorText(_ e: Any, type: Any?) -> String {
    var message: String
    if let s = e as? String { message = s } else if let d = e as? [String: Any], let m = d["message"] as? String { message = m } else {
        message = (try? JSONSerialization.data(withJSONObject: e)).flatMap { String(data: $0, encoding: .utf8) } ?? "\(e)"
    }
    if let t = type as? String, !t.isEmpty { message += " (\(t))" }
    return message
}
