import ArgumentParser
import Foundation
import Storage

/// `llamaterm history export ID --format md|json [-o FILE]` and `history export --all DIR`.
struct HistoryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a conversation as Markdown or JSON (Hugging Face chat format), or all of them to a folder.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case md, json }

    @OptionGroup var db: HistoryDatabaseOption
    @Argument(help: "The conversation's id.") var id: Int64?
    @Option(help: "md (for people) or json (for tools and `history import`).") var format: Format = .json
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @Option(name: .customLong("all"), help: "Write every conversation (JSON and Markdown) into this folder.")
    var allFolder: String?

    func validate() throws {
        if allFolder != nil, id != nil { throw ValidationError("give either a conversation id or --all DIR, not both") }
        if allFolder == nil, id == nil { throw ValidationError("give a conversation id, or --all DIR") }
        if allFolder != nil, output != nil { throw ValidationError("-o does not apply to --all (it writes a folder)") }
    }

    func run() throws {
        try CLIErrors.report {
            let store = try db.open()
            if let folder = allFolder {
                let count = try ConversationExporter.exportAll(from: store, to: folder)
                print("exported \(count) conversation\(count == 1 ? "" : "s") to \(folder)")
                return
            }
            guard let id else { return }
            let c = try store.conversation(id)
            let text = format == .json ? try ConversationExporter.json(c) : ConversationExporter.markdown(c)
            if let output {
                try ConversationExporter.write(text, to: output)
            } else {
                print(text, terminator: "")
            }
        }
    }
}
