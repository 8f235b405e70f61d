import ArgumentParser
import Foundation
import Inference

/// `llamaterm cache list|clear`: the KV states saved between runs.
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the saved KV states (resumed conversations start from them).",
        subcommands: [CacheListCommand.self, CacheClearCommand.self]
    )
}

/// `llamaterm cache list`: one line per saved state, newest first, and the total.
struct CacheListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the saved KV states, newest first.")

    func run() throws {
        let directory = KVDiskSettings.defaultDirectory
        let files = InferenceEngine.savedStates(directory: directory)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        for f in files {
            let what = f.modelLabel.map { "\($0), \(f.tokens ?? 0) tokens" } ?? "unreadable header"
            print("\(formatter.string(from: f.lastUsed))  \(ModelSummary.bytes(f.bytes).padding(toLength: 10, withPad: " ", startingAt: 0))  \(what)  \((f.path as NSString).lastPathComponent)")
        }
        let total = files.reduce(0) { $0 + $1.bytes }
        print("\(files.count) saved state\(files.count == 1 ? "" : "s"), \(ModelSummary.bytes(total)) in \(directory)")
    }
}

/// `llamaterm cache clear`: removes every saved state.
struct CacheClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove every saved KV state.")

    func run() throws {
        let directory = KVDiskSettings.defaultDirectory
        let (count, bytes) = InferenceEngine.removeSavedStates(directory: directory)
        print("removed \(count) saved state\(count == 1 ? "" : "s") (\(ModelSummary.bytes(bytes))) from \(directory)")
    }
}
