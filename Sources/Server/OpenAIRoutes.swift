import Foundation
import Remote
import Tokenizers

/// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
enum OpenAIErrors {
    static func send(_ w: ResponseWriter, _ status: Int, _ message: String, type: String = "invalid_request_error") {
        w.sendJSON(status: status, ["error": ["message": message, "type": type, "param": NSNull(), "code": NSNull()] as [String: Any]])
    }
}

extension InferenceServer {
    /// OpenAI's completion parameters (with the llama.cpp/vLLM extensions `top_k`, `min_p`,
    /// `repetition_penalty`/`repeat_penalty`).
    func openAIParameters(_ b: JSONBody) throws -> RemoteParameters {
        let maxTokens = try b.int("max_tokens") ?? 16
        guard maxTokens > 0 else { throw JSONBody.Problem("max_tokens must be at least 1") }
        let temperature = try b.double("temperature") ?? 1
        guard (0...2).contains(temperature) else { throw JSONBody.Problem("temperature must be between 0 and 2") }
        let topP = try b.double("top_p") ?? 1
        guard topP > 0 && topP <= 1 else { throw JSONBody.Problem("top_p must be in (0, 1]") }
        let topK = try b.int("top_k") ?? 0
        guard topK >= 0 else { throw JSONBody.Problem("top_k must not be negative") }
        let minP = try b.double("min_p") ?? 0
        guard (0...1).contains(minP) else { throw JSONBody.Problem("min_p must be in [0, 1]") }
        let rep = try b.double("repetition_penalty") ?? b.double("repeat_penalty") ?? 1
        guard rep > 0 else { throw JSONBody.Problem("repetition_penalty must be positive") }
        let stop = try b.strings("stop") ?? []
        guard stop.count <= 4 else { throw JSONBody.Problem("stop takes at most 4 sequences") }
        if let n = try b.int("n"), n != 1 { throw JSONBody.Problem("n must be 1 on this server") }
        if let bo = try b.int("best_of"), bo != 1 { throw JSONBody.Problem("best_of must be 1 on this server") }
        if b.bool("echo") == true { throw JSONBody.Problem("echo is not supported") }
        var p = RemoteParameters(maxNewTokens: maxTokens, temperature: temperature, topK: topK, topP: topP, minP: minP,
                                 repetitionPenalty: rep, stop: stop)
        if let s = try b.double("seed") {
            guard s >= 0, s == s.rounded() else { throw JSONBody.Problem("seed must be a non-negative integer") }
            p.seed = UInt64(s)
        }
        return p
    }

    /// The prompt: a string, a list of one string, or a list of token ids.
    private func openAIPrompt(_ b: JSONBody) throws -> [TokenID] {
        let maxTokens = (try? b.int("max_tokens")) ?? 16
        let v = b.dict["prompt"]
        var text: String?
        if let s = v as? String { text = s }
        if let l = v as? [Any] {
            if l.count == 1, let s = l[0] as? String { text = s } else if !l.isEmpty, l.allSatisfy({ $0 is NSNumber && !isJSONBool($0) }) {
                let ids = l.compactMap { ($0 as? NSNumber)?.int32Value }
                if ids.count + maxTokens > model.contextLength {
                    throw JSONBody.Problem("the prompt (\(ids.count) tokens) plus max_tokens (\(maxTokens)) exceeds the context length \(model.contextLength)")
                }
                return ids
            } else {
                throw JSONBody.Problem("prompt must be a string, a list of one string, or a list of token ids")
            }
        }
        guard let text else { throw JSONBody.Problem("prompt is required (a string)") }
        switch prepare(text, maxNewTokens: maxTokens) {
        case .success(let ids): return ids
        case .failure(let p):
            throw JSONBody.Problem(p.message.replacingOccurrences(of: "`inputs`", with: "prompt").replacingOccurrences(of: "`max_new_tokens`", with: "max_tokens"))
        }
    }

    private static func openAIReason(_ f: RemoteFinish?) -> String {
        f?.reason == "length" ? "length" : "stop"
    }

    func openAICompletions(_ request: HTTPServerRequest, _ w: ResponseWriter) {
        guard let body = JSONBody(request.body) else { return OpenAIErrors.send(w, 400, "the body is not a JSON object") }
        let parameters: RemoteParameters, ids: [TokenID]
        do {
            parameters = try openAIParameters(body)
            ids = try openAIPrompt(body)
        } catch let e as JSONBody.Problem {
            return OpenAIErrors.send(w, 400, e.message)
        } catch { return OpenAIErrors.send(w, 400, "\(error)") }
        let id = "cmpl-\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(24).lowercased())"
        let created = Int(Date().timeIntervalSince1970)
        let modelName = body.string("model") ?? model.name
        func chunk(_ text: String, finish: String?, usage: [String: Any]?) -> [String: Any] {
            var c: [String: Any] = ["id": id, "object": "text_completion", "created": created, "model": modelName,
                                    "choices": [["text": text, "index": 0, "logprobs": NSNull(), "finish_reason": finish as Any? ?? NSNull()] as [String: Any]]]
            if let usage { c["usage"] = usage }
            return c
        }
        func usage(_ out: Outcome) -> [String: Any] {
            let gen = out.finish?.generatedTokens ?? 0
            return ["prompt_tokens": ids.count, "completion_tokens": gen, "total_tokens": ids.count + gen]
        }
        let wantsUsage = body.object("stream_options")?.bool("include_usage") ?? false
        if body.bool("stream") ?? false {
            let stream = EventStream(w)
            let out = run(prompt: ids, parameters: parameters) { text in
                stream.open() && stream.send(chunk(text, finish: nil, usage: nil))
            }
            guard let out else { return OpenAIErrors.send(w, 503, "the server is busy (\(queue.pending) requests queued)", type: "server_error") }
            if out.clientGone { return w.abort() }
            guard stream.open() else { return }
            if let e = out.error {
                _ = stream.send(["error": ["message": "generation failed: \(e)", "type": "server_error", "param": NSNull(), "code": NSNull()] as [String: Any]])
                return w.finish()
            }
            _ = stream.send(chunk("", finish: Self.openAIReason(out.finish), usage: usage(out)))
            if wantsUsage {
                _ = stream.send(["id": id, "object": "text_completion", "created": created, "model": modelName, "choices": [] as [Any], "usage": usage(out)])
            }
            _ = w.writeEvent(data: "[DONE]")
            w.finish()
        } else {
            guard let out = run(prompt: ids, parameters: parameters, onText: { _ in true }) else {
                return OpenAIErrors.send(w, 503, "the server is busy (\(queue.pending) requests queued)", type: "server_error")
            }
            if let e = out.error { return OpenAIErrors.send(w, 500, "generation failed: \(e)", type: "server_error") }
            w.sendJSON(chunk(out.text, finish: Self.openAIReason(out.finish), usage: usage(out)))
        }
    }
}
