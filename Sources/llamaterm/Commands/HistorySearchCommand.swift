import ArgumentParser
import Storage

/// `llamaterm history search QUERY [--json] [--limit N]`.
struct HistorySearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search over messages and titles (matches shown between [ and ]).",
        discussion: "Every word must occur (case-insensitive, anywhere in a word; CJK works). Put a phrase in double quotes.")

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The words to find.") var query: [String]
    @Flag(help: "Print a JSON array.") var json = false
    @Option(help: "How many results to show.") var limit = 20
    @Flag(help: "Search archived conversations too.") var archived = false

    struct Entry: Encodable {
        var conversation: Int64
        var title: String
        var message: Int64?
        var role: String?
        var field: String
        var snippet: String
        var rank: Double
    }

    func run() throws {
        try CLIErrors.report {
            let text = query.joined(separator: " ")
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            let store = try db.open()
            let hits = try store.search(text, limit: limit, offset: 0, includeArchived: archived, markers: .brackets)
            if json {
                print(try HistoryJSON.string(hits.map {
                    Entry(conversation: $0.conversationId, title: $0.conversationTitle, message: $0.messageId,
                          role: $0.role?.rawValue, field: $0.field.rawValue, snippet: $0.snippet, rank: $0.rank)
                }))
                return
            }
            if hits.isEmpty { print("no matches for \(text)"); return }
            for hit in hits {
                let title = hit.conversationTitle.isEmpty ? "(untitled)" : hit.conversationTitle
                switch hit.field {
                case .title: print("#\(hit.conversationId) title: \(hit.snippet)")
                case .message: print("#\(hit.conversationId) \(title)\n    \(hit.role?.rawValue ?? "?"): \(hit.snippet)")
                }
            }
        }
    }
}
