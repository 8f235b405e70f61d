import Foundation

extension ConversationExporter {
    /// A Markdown rendering for people: the title, the conversation's metadata, the system
    /// prompt, then each message under a heading naming its role, time and (if not complete)
    /// status, with a reply's provenance in a quote line below it.
    public static func markdown(_ c: ConversationWithMessages) -> String {
        let conv = c.conversation
        var out = "# \(conv.title.isEmpty ? "Untitled conversation" : conv.title)\n\n"
        var facts = [
            "- Conversation: \(conv.id)",
            "- Created: \(Timestamp.iso(conv.createdAt))",
            "- Updated: \(Timestamp.iso(conv.updatedAt))",
        ]
        if let model = conv.modelFile { facts.append("- Model: \(model)") }
        if let format = conv.promptFormat { facts.append("- Prompt format: \(format)") }
        if let options = conv.optionsJSON { facts.append("- Options: `\(options)`") }
        if let parent = conv.parentConversationId {
            facts.append("- Forked from conversation \(parent)" + (conv.parentMessageId.map { " at message \($0)" } ?? ""))
        }
        if conv.pinned { facts.append("- Pinned") }
        if conv.archived { facts.append("- Archived") }
        out += facts.joined(separator: "\n") + "\n\n"
        if let system = conv.systemPrompt {
            out += "## System prompt" + (conv.systemPromptName.map { " (\($0))" } ?? "") + "\n\n"
            out += system + "\n\n"
        }
        for m in c.messages {
            var heading = "## \(m.role.rawValue.capitalized) · \(Timestamp.iso(m.createdAt))"
            if m.status != .complete { heading += " · \(m.status.rawValue)" }
            out += heading + "\n\n" + m.content + "\n\n"
            var notes: [String] = []
            if let error = m.errorMessage { notes.append("error: \(error)") }
            if let p = m.provenance {
                if let model = p.modelFile { notes.append("model \(model)") }
                if let format = p.promptFormat { notes.append("format \(format)") }
                if let seed = p.seed { notes.append("seed \(seed)") }
                if let tokens = p.decodeTokens, let seconds = p.decodeSeconds, seconds > 0 {
                    notes.append(String(format: "%d tokens at %.1f tokens/s", tokens, Double(tokens) / seconds))
                }
                if let prompt = p.promptTokens { notes.append("prompt \(prompt) tokens") }
            } else if let tokens = m.tokenCount {
                notes.append("\(tokens) tokens")
            }
            if !notes.isEmpty { out += "> " + notes.joined(separator: " · ") + "\n\n" }
        }
        return out
    }
}
