import Foundation

/// The JSON bodies of the two streaming requests, with each server's rules applied: TGI refuses
/// `temperature` 0, `top_p` 1 and `top_k` 0, so greedy is `do_sample: false` without them; both
/// APIs take at most four stop strings.
enum RequestBodies {
    static func tgi(prompt: String, _ p: RemoteParameters, stream: Bool) -> [String: Any] {
        var params: [String: Any] = ["max_new_tokens": p.maxNewTokens, "details": true]
        let sample = p.temperature > 0
        params["do_sample"] = sample
        if sample {
            params["temperature"] = p.temperature
            if p.topK > 0 { params["top_k"] = p.topK }
            if p.topP > 0 && p.topP < 1 { params["top_p"] = p.topP }
            if let seed = p.seed { params["seed"] = seed }
        }
        if p.repetitionPenalty != 1 { params["repetition_penalty"] = p.repetitionPenalty }
        if !p.stop.isEmpty { params["stop"] = Array(p.stop.prefix(4)) }
        return ["inputs": prompt, "parameters": params, "stream": stream]
    }

    static func openAI(prompt: String, model: String?, _ p: RemoteParameters, stream: Bool) -> [String: Any] {
        var body: [String: Any] = ["prompt": prompt, "max_tokens": p.maxNewTokens, "stream": stream,
                                   "temperature": max(0, p.temperature)]
        if let model { body["model"] = model }
        if p.temperature > 0 {
            if p.topP < 1 { body["top_p"] = p.topP }
            if p.topK > 0 { body["top_k"] = p.topK }
            if p.minP > 0 { body["min_p"] = p.minP }
        }
        if let seed = p.seed { body["seed"] = seed }
        if p.repetitionPenalty != 1 { body["repetition_penalty"] = p.repetitionPenalty }
        if !p.stop.isEmpty { body["stop"] = Array(p.stop.prefix(4)) }
        return body
    }

    static func encode(_ obj: [String: Any]) -> [UInt8] {
        (try? Array(JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]))) ?? Array("{}".utf8)
    }
}
