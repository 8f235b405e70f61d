import ChatCore
import Foundation
import Storage
import TerminalUI

/// One turn: save the user's message, stream the reply into the UI and the store, finish or fail.
extension ChatController {
    func startTurn(_ text: String, userAlreadyStored: Bool) {
        guard var s = session else { return noModel() }
        let fitted: FittedPrompt
        do {
            fitted = try s.beginTurn(text)
        } catch {
            return fail(error)
        }
        session = s
        do {
            let id = try ensureStored()
            if !userAlreadyStored {
                let m = try store.appendMessage(to: id, NewMessage(role: .user, content: text))
                messageIDs.append(m.id)
            }
            writer = try ReplyWriter.begin(store: store, conversationId: id, provenance: nil)
            let title = try store.conversation(id).conversation.title
            post(.conversationInfo(id: id, title: title))
            refreshList(query: "")
        } catch {
            report(error)
        }
        postContext()
        let engine = self.engine, options = s.options, mailbox = self.mailbox, stops = s.format.stopStrings
        let collected = TextCollector()
        let started = Date()
        generation = Task.detached {
            do {
                let stats = try await engine.generate(prompt: fitted.prompt.ids, promptText: fitted.prompt.text, options: options,
                                                      maxNewTokens: fitted.fit.maxNewTokens, stopStrings: stops) { piece, tokens in
                    collected.append(piece)
                    mailbox.post(.replyDelta(piece))
                    let seconds = Date().timeIntervalSince(started)
                    mailbox.post(.generationProgress(tokens: tokens, tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0))
                    self.queue.async { try? self.writer?.append(piece, tokens: 1) }
                }
                self.queue.async { self.finishTurn(reply: collected.text, stats: stats) }
            } catch {
                self.queue.async { self.failTurn(reply: collected.text, error: error) }
            }
        }
    }

    func provenance(_ stats: TurnStats?) -> ReplyProvenance {
        guard let s = session else { return ReplyProvenance() }
        let modelSize = remote == nil ? ChatRecorder.localModel(path: modelPath).size : nil
        return ReplyProvenance(modelFile: modelName, modelSize: modelSize, promptFormat: s.detection.format.rawValue, optionsJSON: Self.json(s.options),
                               seed: s.options.seed, systemPromptHash: Self.fingerprint(s.conversation.systemPrompt),
                               promptTokens: stats?.promptTokens, prefillTokens: stats?.evaluatedTokens,
                               prefillSeconds: stats?.prefillSeconds, decodeTokens: stats?.generatedTokens,
                               decodeSeconds: stats?.decodeSeconds)
    }

    func finishTurn(reply: String, stats: TurnStats) {
        do { try session?.finishTurn(reply: reply, stats: stats) } catch { report(error) }
        let cancelled = stats.stopReason == "cancelled"
        do {
            try writer?.finish(status: cancelled ? .cancelled : .complete, provenance: provenance(stats))
            if let w = writer { messageIDs.append(w.messageId) }
        } catch { report(error) }
        writer = nil
        generation = nil
        post(.replyFinished(ReplyStats(tokens: stats.generatedTokens, tokensPerSecond: stats.decodeTokensPerSecond,
                                            promptTokens: stats.promptTokens)))
        postContext()
        refreshList(query: "")
    }

    func failTurn(reply: String, error: Error) {
        let message = String(describing: error)
        if reply.isEmpty {
            // Nothing came back: the turn did not happen; the UI keeps the failure on screen.
            session?.abandonTurn()
            if let w = writer { try? store.deleteMessage(w.messageId) }
            if let userID = messageIDs.last, messageIDs.count > (session?.conversation.messages.count ?? 0) {
                try? store.deleteMessage(userID)
                messageIDs.removeLast()
            }
        } else {
            try? session?.finishTurn(reply: reply, stats: nil)
            do {
                try writer?.finish(status: .error, errorMessage: message, provenance: provenance(nil))
                if let w = writer { messageIDs.append(w.messageId) }
            } catch { report(error) }
        }
        writer = nil
        generation = nil
        post(.replyFailed(message))
        postContext()
        refreshList(query: "")
    }
}
