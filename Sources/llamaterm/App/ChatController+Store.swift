import ChatCore
import Foundation
import Storage
import TerminalUI

/// Saved conversations: listing, searching, opening, forking, and keeping the store in step with
/// the session.
extension ChatController {
    /// Posts the conversations matching `query` (all when empty), most recent first.
    func refreshList(query: String) {
        do {
            let items: [ConversationListItem]
            if query.trimmingCharacters(in: .whitespaces).isEmpty {
                items = try store.listConversations(ConversationListQuery(limit: 200)).map { summary in
                    ConversationListItem(id: summary.id, title: summary.conversation.title, subtitle: Self.subtitle(summary),
                                         parentId: summary.conversation.parentConversationId)
                }
            } else {
                // Parent links of recent conversations, so that matching variants group under their original.
                let parents = Dictionary((try? store.listConversations(ConversationListQuery(limit: 500)))?.map {
                    ($0.id, $0.conversation.parentConversationId)
                } ?? [], uniquingKeysWith: { a, _ in a })
                var seen = Set<Int64>()
                var found: [ConversationListItem] = []
                for hit in try store.search(query, limit: 100, offset: 0, includeArchived: false, markers: .brackets)
                where seen.insert(hit.conversationId).inserted {
                    found.append(ConversationListItem(id: hit.conversationId, title: hit.conversationTitle,
                                                      subtitle: hit.snippet.replacingOccurrences(of: "\n", with: " "),
                                                      parentId: parents[hit.conversationId] ?? nil))
                }
                items = found
            }
            post(.conversationsListed(items, query: query))
        } catch {
            report(error)
        }
    }

    static func subtitle(_ s: ConversationSummary) -> String {
        let f = DateFormatter()
        f.dateFormat = Calendar.current.isDateInToday(s.conversation.updatedAt) ? "HH:mm" : "d MMM"
        var parts = [f.string(from: s.conversation.updatedAt), "\(s.messageCount) msg"]
        if let p = s.conversation.systemPromptName { parts.append("⚙ " + p) }
        if s.conversation.parentConversationId != nil { parts.append("fork") }
        return parts.joined(separator: " · ")
    }

    /// Opens a saved conversation.
    func open(_ id: Int64) {
        guard var s = session else { return noModel() }
        do {
            let stored = try store.conversation(id)
            var conversation = Conversation(systemPrompt: stored.conversation.systemPrompt ?? "",
                                            systemPromptName: stored.conversation.systemPromptName)
            var ids: [Int64] = []
            for m in stored.messages {
                switch m.role {
                case .user:
                    // A user message left without a reply (a crash mid-turn) is dropped.
                    if conversation.messages.last?.role == .user { conversation.messages.removeLast(); ids.removeLast() }
                    conversation.messages.append(.user(m.content)); ids.append(m.id)
                case .assistant:
                    guard conversation.messages.last?.role == .user else { continue }
                    conversation.messages.append(.assistant(m.content)); ids.append(m.id)
                case .system:
                    continue
                }
            }
            if conversation.messages.last?.role == .user { conversation.messages.removeLast(); ids.removeLast() }
            try s.load(conversation)
            if let json = stored.conversation.optionsJSON, let data = json.data(using: .utf8),
               let options = try? JSONDecoder().decode(GenerationOptions.self, from: data) {
                try? s.setOptions(options)
            }
            session = s
            conversationID = id
            messageIDs = ids
            post(.modelInfo(name: modelName, format: s.detection.format.rawValue))
            postSnapshot(title: stored.conversation.title)
            postContext()
        } catch {
            report(error)
        }
    }

    /// Saves the conversation the first time it gets a message.
    func ensureStored() throws -> Int64 {
        if let id = conversationID { return id }
        guard let s = session else { throw AppError.noModel("not loaded") }
        let c = s.conversation
        let created = try store.createConversation(NewConversation(
            systemPrompt: c.hasSystemPrompt ? c.systemPrompt : nil, systemPromptName: c.systemPromptName,
            optionsJSON: Self.json(s.options), modelFile: modelName, promptFormat: s.detection.format.rawValue))
        conversationID = created.id
        return created.id
    }

    /// Deletes the stored messages from index `index` of the session's conversation on.
    func deleteStored(from index: Int) {
        guard index < messageIDs.count else { return }
        for id in messageIDs[index...] {
            do { try store.deleteMessage(id) } catch { report(error) }
        }
        messageIDs.removeSubrange(index...)
    }

    /// A new conversation with the messages up to `index`, opened in place of this one.
    func fork(at index: Int) {
        guard let id = conversationID, !messageIDs.isEmpty else {
            notice("Send a message first: only saved conversations can be forked")
            return
        }
        let messageID = messageIDs[min(max(0, index), messageIDs.count - 1)]
        do {
            let forked = try store.forkConversation(id, atMessage: messageID, systemPrompt: nil, title: nil)
            open(forked.id)
            refreshList(query: "")
            notice("Forked into \"\(forked.title)\": change its system prompt (Alt-2) and continue", error: false)
        } catch {
            report(error)
        }
    }

    /// Loads variant `id` and the conversation it came from, for the side-by-side view.
    func openSideBySide(_ id: Int64) {
        do {
            let variant = try store.conversation(id)
            guard let parent = variant.conversation.parentConversationId else {
                return notice("\"\(variant.conversation.title)\" is not a variant of another conversation")
            }
            let original = try store.conversation(parent)
            post(.sideBySideLoaded(original: Self.sideBySide(original), variant: Self.sideBySide(variant)))
        } catch {
            report(error)
        }
    }

    static func sideBySide(_ c: ConversationWithMessages) -> SideBySideConversation {
        let prompt = c.conversation.systemPrompt ?? ""
        let label = c.conversation.systemPromptName
            ?? (prompt.split(separator: "\n").first.map { String($0.prefix(24)) + ($0.count > 24 ? "…" : "") } ?? "")
        let messages = c.messages.compactMap { m -> ChatMessageView? in
            switch m.role {
            case .user: return ChatMessageView(id: m.id, role: .user, content: m.content)
            case .assistant: return ChatMessageView(id: m.id, role: .assistant, content: m.content)
            case .system: return nil
            }
        }
        return SideBySideConversation(id: c.conversation.id, title: c.conversation.title, promptLabel: label, messages: messages)
    }

    /// A short, stable fingerprint of a system prompt (FNV-1a, 64 bits), so each reply records
    /// which prompt it saw.
    static func fingerprint(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h ^= UInt64(b); h = h &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
