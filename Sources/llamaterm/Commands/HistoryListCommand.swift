import ArgumentParser
import Foundation
import Storage

/// `llamaterm history list [--json] [--limit N] [--offset N] [--archived]`.
struct HistoryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List saved conversations, most recent first (pinned ones on top).")

    @OptionGroup var db: HistoryDatabaseOption
    @Flag(help: "Print a JSON array.") var json = false
    @Option(help: "How many conversations to show.") var limit = 50
    @Option(help: "How many to skip (for the next page).") var offset = 0
    @Flag(help: "Include archived conversations.") var archived = false

    struct Entry: Encodable {
        var id: Int64
        var title: String
        var created: Date
        var updated: Date
        var messages: Int
        var pinned: Bool
        var archived: Bool
        var model: String?
        var system_prompt_name: String?
        var preview: String?
    }

    func run() throws {
        try CLIErrors.report {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
            let store = try db.open()
            let rows = try store.listConversations(
                ConversationListQuery(limit: limit, offset: max(0, offset), includeArchived: archived))
            if json {
                print(try HistoryJSON.string(rows.map { r in
                    let c = r.conversation
                    return Entry(id: c.id, title: c.title, created: c.createdAt, updated: c.updatedAt,
                                 messages: r.messageCount, pinned: c.pinned, archived: c.archived,
                                 model: c.modelFile, system_prompt_name: c.systemPromptName,
                                 preview: r.lastMessagePreview)
                }))
                return
            }
            if rows.isEmpty { print("no conversations in \(store.path)"); return }
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            for r in rows {
                let c = r.conversation
                let flags = (c.pinned ? "*" : " ") + (c.archived ? "a" : " ")
                let title = c.title.isEmpty ? "(untitled)" : c.title
                print("\(String(c.id).leftPadded(6)) \(flags) \(formatter.string(from: c.updatedAt))  \(String(r.messageCount).leftPadded(4)) msgs  \(title)")
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
