import Foundation
import Remote
import Tokenizers

extension InferenceServer {
    enum TGIMode { case compat, whole, stream }

    /// TGI's `parameters` as our settings, with TGI's validation messages.
    func tgiParameters(_ p: JSONBody?) throws -> (RemoteParameters, details: Bool) {
        let p = p ?? JSONBody(dict: [:])
        let maxNew = try p.int("max_new_tokens") ?? defaultMaxNewTokens
        guard maxNew > 0 else { throw JSONBody.Problem("`max_new_tokens` must be strictly positive") }
        let temperature = try p.double("temperature")
        if let t = temperature, t <= 0 { throw JSONBody.Problem("`temperature` must be strictly positive") }
        let topK = try p.int("top_k")
        if let k = topK, k <= 0 { throw JSONBody.Problem("`top_k` must be strictly positive") }
        let topP = try p.double("top_p")
        if let v = topP, !(v > 0 && v < 1) { throw JSONBody.Problem("`top_p` must be > 0.0 and < 1.0") }
        let rep = try p.double("repetition_penalty")
        if let r = rep, r <= 0 { throw JSONBody.Problem("`repetition_penalty` must be strictly positive") }
        let seed = try p.double("seed")
        if let s = seed, s < 0 || s != s.rounded() { throw JSONBody.Problem("`seed` must be a non-negative integer") }
        let stop = try p.strings("stop") ?? []
        if stop.count > 4 { throw JSONBody.Problem("`stop` supports up to 4 stop sequences. Given: \(stop.count)") }
        // As TGI: sampling when asked for, or when any sampling setting departs from neutral.
        let sample = (p.bool("do_sample") ?? false) || (temperature.map { $0 != 1 } ?? false) || topK != nil || topP != nil
        var params = RemoteParameters(maxNewTokens: maxNew, temperature: sample ? (temperature ?? 1) : 0, topK: topK ?? 0,
                                      topP: topP ?? 1, repetitionPenalty: rep ?? 1, stop: stop)
        if let s = seed { params.seed = UInt64(s) }
        return (params, p.bool("details") ?? false)
    }

    func tgiGenerate(_ request: HTTPServerRequest, _ w: ResponseWriter, mode: TGIMode) {
        guard let body = JSONBody(request.body) else {
            return w.sendError(422, "Failed to deserialize the JSON body into the target type", type: "validation")
        }
        guard let inputs = body.string("inputs") else {
            return w.sendError(422, "Failed to deserialize the JSON body into the target type: missing field `inputs`", type: "validation")
        }
        let parameters: RemoteParameters, details: Bool
        do { (parameters, details) = try tgiParameters(body.object("parameters")) } catch let e as JSONBody.Problem {
            return w.sendError(422, "Input validation error: \(e.message)", type: "validation")
        } catch { return w.sendError(422, "\(error)", type: "validation") }
        let ids: [TokenID]
        switch prepare(inputs, maxNewTokens: parameters.maxNewTokens) {
        case .success(let v): ids = v
        case .failure(let p): return w.sendError(422, "Input validation error: \(p.message)", type: "validation")
        }
        let streaming = mode == .stream || (mode == .compat && (body.bool("stream") ?? false))
        if streaming {
            streamTGI(ids: ids, parameters: parameters, details: details, w)
        } else {
            guard let out = run(prompt: ids, parameters: parameters, onText: { _ in true }) else {
                return w.sendError(503, "Model is overloaded: \(queue.pending) requests are queued", type: "overloaded")
            }
            if let e = out.error { return w.sendError(500, "Request failed during generation: \(e)", type: "generation") }
            var answer: [String: Any] = ["generated_text": out.text]
            if details {
                answer["details"] = detailsJSON(out.finish, parameters: parameters, promptTokens: ids.count)
            }
            w.sendJSON(mode == .compat ? [answer] : answer)
        }
    }

    private func detailsJSON(_ finish: RemoteFinish?, parameters: RemoteParameters, promptTokens: Int) -> [String: Any] {
        [
            "finish_reason": finish?.reason ?? "length",
            "generated_tokens": finish?.generatedTokens ?? 0,
            "seed": parameters.temperature > 0 ? (parameters.seed.map { Int(truncatingIfNeeded: $0) } as Any? ?? NSNull()) : NSNull(),
            "prefill": [] as [Any], "tokens": [] as [Any], "input_length": promptTokens,
        ] as [String: Any]
    }

    private func streamTGI(ids: [TokenID], parameters: RemoteParameters, details: Bool, _ w: ResponseWriter) {
        var index = 0
        let stream = EventStream(w)
        let out = run(prompt: ids, parameters: parameters) { text in
            guard stream.open() else { return false }
            index += 1
            return stream.send(["index": index, "token": ["id": 0, "text": text, "logprob": 0.0, "special": false] as [String: Any],
                          "top_tokens": NSNull(), "generated_text": NSNull(), "details": NSNull()])
        }
        guard let out else {
            return w.sendError(503, "Model is overloaded: \(queue.pending) requests are queued", type: "overloaded")
        }
        if out.clientGone { return w.abort() }
        guard stream.open() else { return }
        if let e = out.error {
            _ = stream.send(["error": "Request failed during generation: \(e)", "error_type": "generation"])
            return w.finish()
        }
        index += 1
        let eos = out.finish?.reason == "eos_token"
        _ = stream.send(["index": index,
                   "token": ["id": eos ? Int(model.eos ?? 0) : 0, "text": eos ? (model.eos.map(model.piece) ?? "") : "",
                             "logprob": 0.0, "special": true] as [String: Any],
                   "top_tokens": NSNull(), "generated_text": out.text,
                   "details": details ? detailsJSON(out.finish, parameters: parameters, promptTokens: ids.count) as Any : NSNull()])
        w.finish()
    }
}
