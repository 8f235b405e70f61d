import ArgumentParser
import Foundation
import Storage

/// `llamaterm history _stream-test --db P --chars N` (hidden): the kill test's child. Saves a user
/// message, then streams a reply of N characters through `ReplyWriter`, `--chunk` characters
/// every `--delay-ms`, printing `written K` (characters so far) after each piece. The text is
/// character i = `alphabet[i % alphabet.count]`, so a test can check what was saved.
struct HistoryStreamTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_stream-test", abstract: "Stream a synthetic reply into the database (for tests).",
        shouldDisplay: false)

    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 ")

    @OptionGroup var db: HistoryDatabaseOption
    @Option(help: "Characters in the reply.") var chars = 10_000
    @Option(help: "Characters per piece.") var chunk = 5
    @Option(help: "Pause between pieces, in milliseconds.") var delayMs = 5
    @Option(help: "Minimum time between saves, in milliseconds.") var intervalMs = 300

    func run() throws {
        try CLIErrors.report {
            let store = try db.open()
            let conversation = try store.createConversation(NewConversation(modelFile: "stream-test.gguf"))
            _ = try store.appendMessage(to: conversation.id, NewMessage(role: .user, content: "Stream a long reply, please."))
            var writer = try ReplyWriter.begin(
                store: store, conversationId: conversation.id, provenance: nil,
                interval: .milliseconds(intervalMs))
            writeStdout("conversation \(conversation.id) message \(writer.messageId)\n")
            var written = 0
            while written < chars {
                let n = min(max(1, chunk), chars - written)
                let piece = String((written..<(written + n)).map { Self.alphabet[$0 % Self.alphabet.count] })
                try writer.append(piece, tokens: 1)
                written += n
                writeStdout("written \(written)\n")
                if delayMs > 0 { usleep(useconds_t(delayMs * 1000)) }
            }
            try writer.finish(status: .complete)
            writeStdout("done \(written) saves \(writer.saveCount)\n")
        }
    }
}
