import ChatCore
import Foundation
import PromptLab
import Storage
import TerminalUI

/// Replay from the conversations pane (F5): every user turn of a saved conversation again under
/// another system prompt, into a new conversation linked to it (`LabArchive.replay`).
extension ChatController {
    func replay(_ id: Int64, prompt: LabPrompt) {
        guard let s = session else { return noModel() }
        // The original's options, so that only the system prompt changes (the current ones when
        // it has none stored).
        var options = s.options
        do {
            let stored = try store.conversation(id)
            if let json = stored.conversation.optionsJSON, let data = json.data(using: .utf8),
               let saved = try? JSONDecoder().decode(GenerationOptions.self, from: data) {
                options = saved
            }
        } catch {
            return post(.replyFailed(String(describing: error)))
        }
        generation?.cancel()
        let archive = LabArchive(store: store, modelFile: modelName, promptFormat: s.detection.format.rawValue)
        let generator = EngineReplyGenerator(engine: engine, template: s)
        let mailbox = self.mailbox
        let started = Date()
        generation = Task.detached {
            let progress = ReplayProgress()
            do {
                let (newID, result) = try await archive.replay(id, prompt: prompt, options: options, using: generator) { turn, _ in
                    let (tokens, newTurn) = progress.piece(turn: turn)
                    if newTurn { mailbox.post(.notice("Replaying turn \(turn + 1) under \(prompt.label)… (Esc stops)", isError: false)) }
                    let seconds = Date().timeIntervalSince(started)
                    mailbox.post(.generationProgress(tokens: tokens, tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0))
                }
                self.queue.async { self.finishReplay(newID, turns: result.replies.count, tokens: progress.tokens, since: started) }
            } catch {
                self.queue.async { self.failReplay(error) }
            }
        }
    }

    private func finishReplay(_ id: Int64, turns: Int, tokens: Int, since started: Date) {
        generation = nil
        let seconds = Date().timeIntervalSince(started)
        post(.replyFinished(ReplyStats(tokens: tokens, tokensPerSecond: seconds > 0 ? Double(tokens) / seconds : 0)))
        refreshList(query: "")
        let title = (try? store.conversation(id).conversation.title) ?? "the replay"
        notice("Replayed \(turns) turn\(turns == 1 ? "" : "s") into \"\(title)\" (↳ under the original; F4 shows them side by side)", error: false)
    }

    private func failReplay(_ error: Error) {
        generation = nil
        let why = error is CancellationError ? "Replay stopped: the turns done so far are kept in the new conversation"
            : "Replay failed: \(error)"
        post(.replyFailed(why))
        refreshList(query: "")
    }
}

/// Counts a replay's streamed pieces (one per token) from the generation task.
private final class ReplayProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var lastTurn = -1

    /// Records one piece of turn `turn`: the pieces so far, and whether it is the turn's first.
    func piece(turn: Int) -> (Int, Bool) {
        lock.lock(); defer { lock.unlock() }
        count += 1
        let first = turn != lastTurn
        lastTurn = turn
        return (count, first)
    }

    var tokens: Int { lock.lock(); defer { lock.unlock() }; return count }
}
