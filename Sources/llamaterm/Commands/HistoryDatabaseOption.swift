import ArgumentParser
import Foundation
import Storage

/// `--db PATH`, shared by every `history` command.
struct HistoryDatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: "The database file (default: LLAMATERM_DB or $XDG_DATA_HOME/llamaterm/llamaterm.sqlite).")
    var path: String?

    /// Opens (creating and migrating if needed) the database.
    func open() throws -> SQLiteConversationStore {
        try SQLiteConversationStore.openDefault(explicitPath: path)
    }
}

/// JSON for command output: sorted keys, no escaped slashes.
enum HistoryJSON {
    static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Writes text to standard output unbuffered (progress lines other processes read live).
func writeStdout(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
