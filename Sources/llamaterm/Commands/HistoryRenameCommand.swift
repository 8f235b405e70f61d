import ArgumentParser
import Storage

/// `llamaterm history rename ID TITLE`.
struct HistoryRenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a conversation.")

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The conversation's id.") var id: Int64
    @Argument(help: "The new title.") var title: [String]

    func run() throws {
        try CLIErrors.report {
            let store = try db.open()
            try store.renameConversation(id, title: title.joined(separator: " "))
            print("renamed conversation \(id)")
        }
    }
}
