import Foundation

/// The three ways `llamaterm compare` prints its results.
public enum CompareFormatter {
    /// Replies in columns fitted to `width` terminal cells: a header per column (the prompt's
    /// label), the wrapped reply, and a footer with token count and speed. With more columns than
    /// fit (each needs 16 cells) the results are stacked instead.
    public static func sideBySide(_ results: [CompareResult], seed: UInt64?, width: Int) -> String {
        let n = max(1, results.count)
        let separators = 3 * (n - 1)
        let columnWidth = (width - separators) / n
        var lines: [String] = []
        if columnWidth >= 16 {
            let blocks = results.map { block(for: $0, width: columnWidth) }
            lines = TextColumns.sideBySide(blocks, columnWidth: columnWidth)
        } else {
            for r in results {
                if !lines.isEmpty { lines.append("") }
                lines += block(for: r, width: max(16, width))
            }
        }
        if let seed { lines.append("seed \(seed)") }
        return lines.joined(separator: "\n")
    }

    static func block(for r: CompareResult, width: Int) -> [String] {
        var out = TextColumns.wrap(r.prompt.label, width: width)
        out.append(String(repeating: "─", count: width))
        if let e = r.error {
            out += TextColumns.wrap("error: " + e, width: width)
        } else {
            out += TextColumns.wrap(r.reply.trimmingCharacters(in: .whitespacesAndNewlines), width: width)
        }
        out.append(String(repeating: "─", count: width))
        out.append(footer(r))
        return out
    }

    /// "32 tokens, 95.1 tok/s".
    public static func footer(_ r: CompareResult) -> String {
        "\(r.tokens) tokens, \(String(format: "%.1f", r.tokensPerSecond)) tok/s"
    }

    /// `{"results": [{"system", "prompt_name", "reply", "tokens", "tokens_per_second", ...}], "seed": S}`,
    /// results in the order given.
    public static func json(_ results: [CompareResult], seed: UInt64?, conversationIds: [Int64]? = nil) -> String {
        struct Row: Encodable {
            var system: String
            var prompt_name: String?
            var reply: String
            var tokens: Int
            var tokens_per_second: Double
            var stop_reason: String?
            var error: String?
            var conversation_id: Int64?

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(system, forKey: .system)
                try c.encode(prompt_name, forKey: .prompt_name)
                try c.encode(reply, forKey: .reply)
                try c.encode(tokens, forKey: .tokens)
                try c.encode((tokens_per_second * 100).rounded() / 100, forKey: .tokens_per_second)
                try c.encodeIfPresent(stop_reason, forKey: .stop_reason)
                try c.encodeIfPresent(error, forKey: .error)
                try c.encodeIfPresent(conversation_id, forKey: .conversation_id)
            }
            enum CodingKeys: String, CodingKey { case system, prompt_name, reply, tokens, tokens_per_second, stop_reason, error, conversation_id }
        }
        struct Document: Encodable {
            var results: [Row]
            var seed: UInt64?
        }
        let rows = results.enumerated().map { i, r in
            Row(system: r.prompt.text, prompt_name: r.prompt.name, reply: r.reply, tokens: r.tokens,
                tokens_per_second: r.tokensPerSecond, stop_reason: r.stats?.stopReason, error: r.error,
                conversation_id: conversationIds.flatMap { i < $0.count ? $0[i] : nil })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Document(results: rows, seed: seed)), let s = String(data: data, encoding: .utf8) else {
            return "{\"results\": []}"
        }
        return s
    }

    /// A Markdown table: one row per prompt (prompt, reply, tokens, tok/s).
    public static func markdown(_ results: [CompareResult], seed: UInt64?) -> String {
        func cell(_ s: String) -> String {
            s.trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\n", with: "<br>")
        }
        var lines = ["| system prompt | reply | tokens | tok/s |", "| --- | --- | ---: | ---: |"]
        for r in results {
            let reply = r.error.map { "**error:** " + cell($0) } ?? cell(r.reply)
            lines.append("| \(cell(r.prompt.label)) | \(reply) | \(r.tokens) | \(String(format: "%.1f", r.tokensPerSecond)) |")
        }
        if let seed { lines.append(""); lines.append("Seed \(seed).") }
        return lines.joined(separator: "\n")
    }
}
