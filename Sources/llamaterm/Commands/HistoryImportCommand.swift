import ArgumentParser
import Storage

/// `llamaterm history import FILE...`: each JSON export becomes a new conversation.
struct HistoryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import conversations from JSON files (our export, or any Hugging Face chat messages file).")

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The JSON files.") var files: [String]

    func run() throws {
        try CLIErrors.report {
            guard !files.isEmpty else { throw ValidationError("give at least one file to import") }
            let store = try db.open()
            for file in files {
                let c = try ConversationExporter.importJSON(file: file, into: store)
                print("imported \(file) as conversation \(c.id): \(c.title.isEmpty ? "(untitled)" : c.title)")
            }
        }
    }
}
