import Foundation
import Remote
import Storage
import TerminalUI

/// `llamaterm` with no subcommand: the full-screen chat UI.
enum TerminalApp {
    /// Opens the UI and returns when the user quits. The terminal is restored on every way out.
    static func run(modelPath: String, databasePath: String?, themeName: String?, promptName: String?,
                    remote: RemoteSetup? = nil, kv: KVStateOptions = KVStateOptions()) async throws {
        let loader = ThemeLoader(extraDirectories: themeDirectories())
        let theme = try loader.load(themeName)
        let store = try SQLiteConversationStore.openDefault(explicitPath: databasePath)
        let mailbox = try Mailbox()
        let signalFD = try TerminalSignals.install()
        let backend: NcursesBackend
        do {
            backend = try NcursesBackend()
        } catch {
            TerminalSignals.uninstall()
            throw error
        }
        let engine: any ReplyEngine = remote.map { RemoteReplyEngine(client: $0.client) }
            ?? UnavailableEngine(reason: "the model is still loading")
        let controller = ChatController(mailbox: mailbox, modelPath: modelPath, promptName: promptName, store: store,
                                        engine: engine, remote: remote, kvMemory: kv.memoryLimit, kvDisk: kv.disk)
        var state = AppState()
        state.themeName = theme.name
        var themes = loader.availableNames()
        if !themes.contains(theme.name) { themes.append(theme.name) }
        state.options = OptionsForm(fields: OptionField.all(themes: themes, current: theme.name))
        let loop = EventLoop(state: state, theme: theme, backend: backend, mailbox: mailbox, signalFD: signalFD,
                             perform: { controller.perform($0) })
        loop.themeResolver = { try loader.load($0) }
        controller.start()
        let box = LoopBox(loop)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                box.loop.run()
                done.resume()
            }
            thread.name = "llamaterm.ui"
            thread.start()
        }
        controller.shutdown()
        backend.shutdown()
        TerminalSignals.uninstall()
        // The last state (a stopped reply's too) goes to disk for the next run.
        if let inference = controller.inference {
            for note in await inference.saveState() { CLIErrors.printNote(note) }
        }
    }

    /// `themes/` beside the binary's repository (a source checkout), for themes added there.
    static func themeDirectories() -> [String] {
        var dirs: [String] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: candidate.path) { dirs.append(candidate.path); break }
            dir = dir.deletingLastPathComponent()
        }
        return dirs
    }
}

/// Hands the loop to its thread (it is only ever used there).
final class LoopBox: @unchecked Sendable {
    let loop: EventLoop
    init(_ loop: EventLoop) { self.loop = loop }
}
