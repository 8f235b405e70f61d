import Tokenizers

/// What prompt rendering needs from a tokenizer. `Tokenizers.Tokenizer` conforms; the seam lets a
/// remote backend supply its own.
public protocol PromptTokenizer: Sendable {
    /// The beginning-of-sequence token, if the vocabulary has one.
    var bos: TokenID? { get }
    /// The end-of-sequence token, if the vocabulary has one.
    var eos: TokenID? { get }
    /// True when the model expects a BOS token at the start of every prompt.
    var addsBOS: Bool { get }
    /// Tokenizes plain text (`parseSpecial: false` means text such as `<|im_start|>` stays text).
    func encode(_ text: String, addBOS: Bool, parseSpecial: Bool) -> [TokenID]
    /// The id of a vocabulary piece given by its exact text.
    func id(ofPiece piece: String) -> TokenID?
    /// True for control (special) tokens.
    func isControl(_ id: TokenID) -> Bool
}

extension Tokenizer: PromptTokenizer {}
