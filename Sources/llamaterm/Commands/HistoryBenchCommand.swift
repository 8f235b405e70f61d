import ArgumentParser
import Foundation
import Storage

/// `llamaterm history bench --db P` (hidden): fills P (when empty) with 10,000 conversations and
/// 200,000 messages, then reports the median time of the first page of the list and of
/// full-text searches.
struct HistoryBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Storage scale benchmark (list and search times).", shouldDisplay: false)

    @OptionGroup var db: HistoryDatabaseOption
    @Option(help: "Conversations to generate.") var conversations = 10_000
    @Option(help: "Messages to generate.") var messages = 200_000
    @Option(help: "Timed runs per operation.") var runs = 30

    func run() throws {
        try CLIErrors.report {
            guard db.path != nil else { throw ValidationError("give the benchmark its own file with --db PATH") }
            let store = try db.open()
            let existing = try store.conversationCount(includeArchived: true)
            if existing == 0 {
                let start = ContinuousClock.now
                try StorageBenchmark.generate(into: store, conversations: conversations, messages: messages) { done in
                    if done % 2000 == 0 { FileHandle.standardError.write(Data("generated \(done) conversations\n".utf8)) }
                }
                print("generated \(conversations) conversations, \(messages) messages in \(ContinuousClock.now - start)")
            } else {
                print("using the \(existing) conversations already in \(store.path)")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
            print(String(format: "database: %.1f MB", Double(size) / 1e6))
            var timings: [StorageBenchmark.Timing] = []
            timings.append(try StorageBenchmark.time("list first page (50, pinned first)", runs: runs) {
                try store.listConversations(ConversationListQuery(limit: 50)).count
            })
            let middling = StorageBenchmark.vocabularyWord(rank: 100)
            let rare = StorageBenchmark.vocabularyWord(rank: 3000)
            let common = StorageBenchmark.vocabularyWord(rank: 2)
            let kana = StorageBenchmark.kanaWord(rank: 30)
            for (label, query) in [
                ("search Japanese word \"\(kana)\" (trigram index)", kana),
                ("search two-character word \"京語\" (scan)", "京語"),
                ("search middling word \"\(middling)\"", middling),
                ("search rare word \"\(rare)\"", rare),
                ("search two words \"\(middling) \(common)\"", "\(middling) \(common)"),
                ("search common word \"\(common)\"", common),
                ("search word prefix \"\(middling.prefix(4))\"", String(middling.prefix(4))),
            ] {
                timings.append(try StorageBenchmark.time(label + " (20 hits)", runs: runs) {
                    try store.search(query, limit: 20).count
                })
            }
            for t in timings {
                print(t.name + String(format: ": median %.2f ms, p90 %.2f ms, median CPU %.2f ms (%d runs, %d rows)",
                                      t.medianMilliseconds, t.p90Milliseconds, t.medianCPUMilliseconds, t.runs, t.rows))
            }
        }
    }
}
