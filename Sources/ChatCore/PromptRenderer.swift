import Tokenizers
import Foundation

/// Turns a format's layout into token ids with a tokenizer: BOS/EOS and control tokens become ids
/// looked up in the vocabulary; text between two of them is tokenized as one piece, without special
/// parsing (so a user typing `<|im_start|>` gets plain text, never the control token).
///
/// Tokenizations are cached by text, so rebuilding a whole conversation's prompt each turn costs
/// only the new text's tokenization.
public struct PromptRenderer: Sendable {
    public let format: any PromptFormat
    public let tokenizer: any PromptTokenizer
    private let cache: EncodeCache

    public init(format: any PromptFormat, tokenizer: any PromptTokenizer) {
        self.format = format
        self.tokenizer = tokenizer
        self.cache = EncodeCache()
    }

    /// The prompt for `system` and `turns` (see `PromptFormat.layout`), with parts and warnings.
    public func render(system: String, turns: ArraySlice<Turn>) throws -> RenderedPrompt {
        let items = try resolve(format.layout(system: system, turns: turns))
        var ids: [TokenID] = []
        var parts: [RenderedPart] = []
        func emit(_ kind: PromptPartKind, _ tokens: ArraySlice<TokenID>, _ text: String) {
            let start = ids.count
            ids.append(contentsOf: tokens)
            if let last = parts.last, last.kind == kind {
                parts[parts.count - 1].range = last.range.lowerBound..<ids.count
                parts[parts.count - 1].text += text
            } else {
                parts.append(RenderedPart(kind: kind, range: start..<ids.count, text: text))
            }
        }
        var i = 0
        while i < items.count {
            switch items[i].content {
            case let .id(id, shown):
                emit(items[i].part, [id], shown)
                i += 1
            case .text:
                // A fragment: the run of text items up to the next id.
                var pieces: [(String, PromptPartKind)] = []
                while i < items.count, case let .text(t) = items[i].content {
                    pieces.append((t, items[i].part))
                    i += 1
                }
                let full = cache.encode(pieces.map(\.0).joined(), with: tokenizer)
                // Attribute tokens to parts by tokenizing each prefix; when a prefix's tokens are not
                // a prefix of the whole (a merge across the boundary), the boundary moves back.
                var bound = 0
                var prefix = ""
                for (k, piece) in pieces.enumerated() {
                    var end = full.count
                    if k < pieces.count - 1 {
                        prefix += piece.0
                        if piece.1 == pieces[k + 1].1 {
                            end = bound
                        } else {
                            let p = cache.encode(prefix, with: tokenizer)
                            end = (p.count <= full.count && full.starts(with: p)) ? max(p.count, bound) : bound
                        }
                    }
                    emit(piece.1, full[bound..<end], piece.0)
                    bound = end
                }
            }
        }
        return RenderedPrompt(ids: ids, parts: parts,
                              warnings: format.injectionWarnings(system: system, turns: turns),
                              firstTurn: turns.startIndex)
    }

    /// The prompt's token count (exact, without building parts).
    public func tokenCount(system: String, turns: ArraySlice<Turn>) throws -> Int {
        let items = try resolve(format.layout(system: system, turns: turns))
        var count = 0
        var fragment = ""
        var inText = false
        for item in items {
            switch item.content {
            case .id:
                if inText { count += cache.encode(fragment, with: tokenizer).count; fragment = ""; inText = false }
                count += 1
            case .text(let t):
                fragment += t
                inText = true
            }
        }
        if inText { count += cache.encode(fragment, with: tokenizer).count }
        return count
    }

    private struct Item {
        enum Content { case id(TokenID, String), text(String) }
        var content: Content
        var part: PromptPartKind
    }

    /// Replaces BOS/EOS/control/marker segments by ids (or text for absent markers).
    private func resolve(_ pieces: [PromptPiece]) throws -> [Item] {
        var out: [Item] = []
        out.reserveCapacity(pieces.count)
        let formatName = format.name.rawValue
        for p in pieces {
            switch p.segment {
            case .bos:
                guard let id = tokenizer.bos else { throw ChatError.missingToken(piece: "BOS", format: formatName) }
                out.append(Item(content: .id(id, "<s>"), part: p.part))
            case .defaultBOS:
                if tokenizer.addsBOS, let id = tokenizer.bos { out.append(Item(content: .id(id, "<s>"), part: p.part)) }
            case .eos:
                guard let id = tokenizer.eos else { throw ChatError.missingToken(piece: "EOS", format: formatName) }
                out.append(Item(content: .id(id, "</s>"), part: p.part))
            case .control(let piece):
                guard let id = tokenizer.id(ofPiece: piece), tokenizer.isControl(id) else {
                    throw ChatError.missingToken(piece: piece, format: formatName)
                }
                out.append(Item(content: .id(id, piece), part: p.part))
            case .marker(let piece):
                if let id = tokenizer.id(ofPiece: piece), tokenizer.isControl(id) {
                    out.append(Item(content: .id(id, piece), part: p.part))
                } else {
                    out.append(Item(content: .text(piece), part: p.part))
                }
            case .text(let t):
                if !t.isEmpty { out.append(Item(content: .text(t), part: p.part)) }
            }
        }
        return out
    }
}

/// Tokenizations by text, shared by copies of a renderer.
final class EncodeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: [TokenID]] = [:]
    private static let limit = 20_000

    func encode(_ text: String, with tokenizer: any PromptTokenizer) -> [TokenID] {
        lock.lock()
        if let hit = entries[text] { lock.unlock(); return hit }
        lock.unlock()
        let ids = tokenizer.encode(text, addBOS: false, parseSpecial: false)
        lock.lock()
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[text] = ids
        lock.unlock()
        return ids
    }
}
