import ArgumentParser
import Storage

/// `llamaterm history show ID [--json]`: one conversation in full.
struct HistoryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a saved conversation (Markdown, or its JSON export).")

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The conversation's id (see `history list`).") var id: Int64
    @Flag(help: "Print the JSON export instead.") var json = false

    func run() throws {
        try CLIErrors.report {
            let store = try db.open()
            let c = try store.conversation(id)
            print(json ? try ConversationExporter.json(c) : ConversationExporter.markdown(c), terminator: "")
        }
    }
}
