import ChatCore
import Foundation
import Tokenizers

/// Where a remote chat's token counts come from, for the note the chat prints and the provenance.
public enum TokenCountSource: Sendable, Hashable, CustomStringConvertible {
    /// A local tokenizer (a GGUF file's vocabulary): exact.
    case localTokenizer(path: String)
    /// The server's tokenize endpoint: exact for the server's model.
    case server(url: String)
    /// No tokenizer: an estimate of one token per `bytesPerToken` UTF-8 bytes (rounded up).
    case estimate(bytesPerToken: Int)

    public var isEstimate: Bool { if case .estimate = self { return true }; return false }

    public var description: String {
        switch self {
        case .localTokenizer(let p): return "token counts from the tokenizer in \(p)"
        case .server(let u): return "token counts from \(u)"
        case .estimate(let b):
            return "token counts are ESTIMATES (1 token per \(b) bytes of text): the context budget is approximate; pass --tokenizer MODEL.gguf for exact counts"
        }
    }
}

/// The special tokens of a tokenizer we do not have: BOS and EOS as 1 and 2 (Llama 2's), and
/// `<|...|>` control pieces as stable made-up ids. Only counts matter for a remote prompt (the
/// text is what is sent), and each special is one token on the server too.
final class SyntheticSpecials: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String: TokenID] = [:]
    static let firstControl: TokenID = 1_000_000

    func id(ofPiece piece: String) -> TokenID? {
        if piece == "<s>" { return 1 }
        if piece == "</s>" { return 2 }
        guard piece.hasPrefix("<|"), piece.hasSuffix("|>"), piece.count > 4, !piece.contains(" ") else { return nil }
        lock.lock(); defer { lock.unlock() }
        if let id = ids[piece] { return id }
        let id = Self.firstControl + TokenID(ids.count)
        ids[piece] = id
        return id
    }

    func isControl(_ id: TokenID) -> Bool { id == 1 || id == 2 || id >= Self.firstControl }
}

/// Token counts estimated from text length, for servers that cannot tokenize. Over-estimates
/// English (about 4 bytes a token) on purpose so the prompt fits the server's window.
public struct EstimatingTokenizer: PromptTokenizer {
    public let bytesPerToken: Int
    private let specials = SyntheticSpecials()

    public init(bytesPerToken: Int = 3) { self.bytesPerToken = max(1, bytesPerToken) }

    public var bos: TokenID? { 1 }
    public var eos: TokenID? { 2 }
    public var addsBOS: Bool { true }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID] {
        let n = (text.utf8.count + bytesPerToken - 1) / bytesPerToken
        return (addBOS ? [1] : []) + [TokenID](repeating: 0, count: n)
    }

    public func id(ofPiece piece: String) -> TokenID? { specials.id(ofPiece: piece) }
    public func isControl(_ id: TokenID) -> Bool { specials.isControl(id) }
}

/// Token counts from the server's `/tokenize` endpoint (TGI's `{"inputs"}`, llama.cpp's
/// `{"content"}`, vLLM's `{"prompt"}`). Each distinct text is asked once (the prompt renderer
/// caches); a failed call falls back to the estimate for that text and is counted in `failures`.
/// Blocking: `encode` waits for the server (short timeouts).
public final class ServerTokenizer: PromptTokenizer, @unchecked Sendable {
    public let api: RemoteAPI
    public let url: ServerURL
    private let apiKey: String?
    private let timeouts: RemoteTimeouts
    private let specials = SyntheticSpecials()
    private let fallback = EstimatingTokenizer()
    private let lock = NSLock()
    private var _failures = 0

    init(api: RemoteAPI, url: ServerURL, apiKey: String?, timeouts: RemoteTimeouts) {
        self.api = api
        self.url = url
        self.apiKey = apiKey
        self.timeouts = timeouts
    }

    /// A tokenizer for the server, or nil when it has no usable tokenize endpoint.
    public static func probe(api: RemoteAPI, url: ServerURL, apiKey: String?,
                             timeouts: RemoteTimeouts = RemoteTimeouts(connect: 5, firstByte: 15, betweenTokens: 15)) -> ServerTokenizer? {
        let t = ServerTokenizer(api: api, url: url, apiKey: apiKey, timeouts: timeouts)
        guard let ids = try? t.tokenize("Hello, world"), !ids.isEmpty else { return nil }
        return t
    }

    /// Texts whose count fell back to the estimate because the server did not answer.
    public var failures: Int { lock.lock(); defer { lock.unlock() }; return _failures }

    /// The URL token counts come from.
    public var endpoint: String { "\(api == .tgi ? url : url.withoutVersionSuffix)/tokenize" }

    public var bos: TokenID? { 1 }
    public var eos: TokenID? { 2 }
    public var addsBOS: Bool { true }
    public func id(ofPiece piece: String) -> TokenID? { specials.id(ofPiece: piece) }
    public func isControl(_ id: TokenID) -> Bool { specials.isControl(id) }

    public func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID] {
        if text.isEmpty { return addBOS ? [1] : [] }
        do {
            return (addBOS ? [1] : []) + (try tokenize(text))
        } catch {
            lock.lock(); _failures += 1; lock.unlock()
            return fallback.encode(text, addBOS: addBOS, parseSpecial: parseSpecial)
        }
    }

    /// The server's ids for `text` without added specials.
    func tokenize(_ text: String) throws -> [TokenID] {
        let base = api == .tgi ? url : url.withoutVersionSuffix
        let body: [String: Any] = api == .tgi
            ? ["inputs": text, "add_special_tokens": false]
            : ["content": text, "prompt": text, "add_special": false, "add_special_tokens": false]
        let ex = HTTPExchange(url: base, timeouts: timeouts)
        defer { ex.close() }
        var (head, reader) = try ex.send(method: "POST", path: "/tokenize",
                                         headers: apiKey.map { [("Authorization", "Bearer \($0)")] } ?? [],
                                         body: RequestBodies.encode(body))
        let data = try ex.readAll(&reader, path: "/tokenize", limit: 32 << 20)
        guard head.status == 200 else {
            throw RemoteError.httpError(url: ex.label("/tokenize"), status: head.status, message: serverErrorMessage(data))
        }
        let obj = try? JSONSerialization.jsonObject(with: Data(data))
        if let list = obj as? [[String: Any]] {
            // TGI: [{"id", "text", "start", "stop"}]; drop added specials (an empty span at 0).
            var out: [TokenID] = []
            for (i, t) in list.enumerated() {
                guard let id = (t["id"] as? NSNumber)?.int32Value else { throw RemoteError.malformedResponse(url: ex.label("/tokenize"), detail: "a token without an id") }
                if i == 0, let s = t["start"] as? Int, let e = t["stop"] as? Int, s == 0, e == 0, list.count > 0,
                   let p = t["text"] as? String, p == "<s>" || p.hasPrefix("<|") { continue }
                out.append(id)
            }
            return out
        }
        if let dict = obj as? [String: Any], let tokens = dict["tokens"] as? [Any] {
            return tokens.compactMap { ($0 as? NSNumber)?.int32Value ?? (($0 as? [String: Any])?["id"] as? NSNumber)?.int32Value }
        }
        throw RemoteError.malformedResponse(url: ex.label("/tokenize"), detail: "unexpected answer \(snippet(String(decoding: data, as: UTF8.self)))")
    }
}
