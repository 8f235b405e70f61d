import ArgumentParser
import Storage

/// `llamaterm history delete ID`.
struct HistoryDeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a conversation and its messages.")

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The conversation's id.") var id: Int64

    func run() throws {
        try CLIErrors.report {
            let store = try db.open()
            try store.deleteConversation(id)
            print("deleted conversation \(id)")
        }
    }
}
