import Remote
import Tokenizers

/// What the server serves: a model's name and window, its tokenizer, and a way to generate. The
/// server never touches the engine directly, so it can serve any `Backend` (see
/// `ServedModel(backend:...)`) or, in tests, a deterministic generator.
public struct ServedModel: Sendable {
    /// The model's name (`/info` `model_id`, `/v1/models`).
    public var name: String
    /// The context window: prompt plus reply tokens.
    public var contextLength: Int
    /// Tokenizes prompt text the way the model's own chat template output is tokenized: control
    /// pieces such as `<s>` or `<|im_start|>` become their ids; `addSpecial` adds BOS when the
    /// model wants it (and the text does not already start with it).
    public var tokenize: @Sendable (_ text: String, _ addSpecial: Bool) -> [TokenID]
    /// The text of one token (for `/tokenize`).
    public var piece: @Sendable (TokenID) -> String
    /// The end-of-sequence token reported in TGI's last stream event.
    public var eos: TokenID?
    /// Generates from prompt ids: text pieces, then `.finished` with a TGI finish reason
    /// ("eos_token", "length", "stop_sequence") and the generated token count.
    public var generate: @Sendable (_ prompt: [TokenID], _ parameters: RemoteParameters) -> AsyncThrowingStream<RemoteEvent, Error>

    public init(name: String, contextLength: Int, tokenize: @escaping @Sendable (String, Bool) -> [TokenID],
                piece: @escaping @Sendable (TokenID) -> String, eos: TokenID?,
                generate: @escaping @Sendable ([TokenID], RemoteParameters) -> AsyncThrowingStream<RemoteEvent, Error>) {
        self.name = name
        self.contextLength = contextLength
        self.tokenize = tokenize
        self.piece = piece
        self.eos = eos
        self.generate = generate
    }
}

extension Tokenizer {
    /// Prompt text as a server receives it: specials parsed, BOS added when the model adds one and
    /// the text does not begin with it already.
    public func serverTokenize(_ text: String, addSpecial: Bool) -> [TokenID] {
        var ids = encode(text, addBOS: false, parseSpecial: true)
        if addSpecial, addsBOS, let bos, ids.first != bos { ids.insert(bos, at: 0) }
        return ids
    }
}
