import ArgumentParser

/// `llamaterm history ...`: saved conversations: list, read, search, export, import, rename, delete.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Browse, search, export and import saved conversations.",
        discussion: "The database is --db PATH, else LLAMATERM_DB, else $XDG_DATA_HOME/llamaterm/llamaterm.sqlite.",
        subcommands: [
            HistoryListCommand.self, HistoryShowCommand.self, HistorySearchCommand.self,
            HistoryExportCommand.self, HistoryImportCommand.self, HistoryRenameCommand.self,
            HistoryDeleteCommand.self, HistoryStreamTestCommand.self, HistoryBenchCommand.self,
        ]
    )
}
