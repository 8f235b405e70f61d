import ChatCore
import Foundation
import Storage
import TerminalUI

/// The compare view's effects: run its columns (in `CompareRunner`), keep one as the next turn.
extension ChatController {
    func handleCompare(_ effect: CompareEffect) {
        switch effect {
        case .run(let request):
            guard let s = session else {
                for i in request.columns { post(.compare(.failed(column: i, message: "No model is loaded"))) }
                return
            }
            generation?.cancel()
            generation = CompareRunner.start(request, session: s, engine: engine, mailbox: mailbox)
        case .keep(let message, let reply, let systemPrompt, let systemPromptName):
            keepComparison(message: message, reply: reply, systemPrompt: systemPrompt, systemPromptName: systemPromptName)
        }
    }

    /// Continues the conversation with the kept column: its system prompt from now on, then the
    /// message and its reply, saved like a normal turn.
    private func keepComparison(message: String, reply: String, systemPrompt: String, systemPromptName: String?) {
        guard var s = session else { return noModel() }
        var c = s.conversation
        c.systemPrompt = systemPrompt
        c.systemPromptName = systemPromptName
        c.messages += [.user(message), .assistant(reply)]
        do { try s.load(c) } catch { return notice(String(describing: error)) }
        session = s
        do {
            let id = try ensureStored()
            try store.setSystemPrompt(id, SystemPromptChoice(text: c.hasSystemPrompt ? systemPrompt : nil, libraryName: systemPromptName))
            let user = try store.appendMessage(to: id, NewMessage(role: .user, content: message))
            let answer = try store.appendMessage(to: id, NewMessage(role: .assistant, content: reply, provenance: provenance(nil)))
            messageIDs += [user.id, answer.id]
            post(.conversationInfo(id: id, title: try store.conversation(id).conversation.title))
            refreshList(query: "")
        } catch {
            report(error)
        }
        postContext()
    }
}
