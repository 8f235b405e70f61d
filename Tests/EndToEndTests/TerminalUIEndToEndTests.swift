import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Drives the real `llamaterm` UI inside tmux with the real default model: chat, change the system
/// prompt, stop a reply, resize, quit; then checks what the database kept.
@Suite(.serialized) struct TerminalUIEndToEndTests {
    /// A tmux server of our own (its own socket), so the test never touches the user's sessions.
    final class Tmux {
        let socket = "llamaterm-e2e-\(UUID().uuidString.prefix(8))"
        let session = "ui"

        @discardableResult
        func run(_ args: [String]) throws -> ProcessResult {
            try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["tmux", "-L", socket] + args)
        }

        /// Starts the session. Foundation's `Process.waitUntilExit` never returns when the child
        /// leaves a daemon behind (the tmux server keeps an inherited descriptor), so this spawns
        /// with posix_spawn, standard streams on /dev/null and every other descriptor closed, and
        /// waits for the client with waitpid.
        func start(_ args: [String]) throws {
            let argv = ["tmux", "-L", socket] + args
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            // Nothing else is inherited: tests running beside this one have pipes open to their
            // children, and a tmux server holding a write end would keep their reads from ever
            // seeing end-of-file (a hang seen in CI).
            Self.closeInheritedDescriptors(&actions)
            let cargs = argv.map { strdup($0) } + [nil]
            defer { cargs.forEach { free($0) } }
            var pid: pid_t = 0
            let rc = posix_spawnp(&pid, "tmux", &actions, nil, cargs, environ)
            guard rc == 0 else { throw CocoaError(.executableLoad) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }

        /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+; Swift's Glibc module does not
        /// import it), or else one close action per descriptor open now.
        static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
                return
            }
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]).stdout }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

        func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }

        /// Polls the screen until `predicate` holds; fails the test after `timeout` seconds.
        @discardableResult
        func wait(_ what: String, timeout: Double, every: Double = 0.1, sourceLocation: SourceLocation = #_sourceLocation,
                  _ predicate: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if predicate(last) { return last }
                Thread.sleep(forTimeInterval: every)
            }
            Issue.record("timed out waiting for \(what); screen:\n\(last)", sourceLocation: sourceLocation)
            throw CancellationError()
        }

        func kill() { try? start(["kill-server"]) }

        /// Runs the real binary's UI in a 120×40 session with its own config folder (no user
        /// prompts or themes leak in) and database, and waits until the model is loaded: "● ready"
        /// shows before loading starts; the context meter comes once the model and the first
        /// conversation are in (options typed earlier would be reset by that conversation).
        func launchUI(configDirectory: URL, database: String, model: String = TestPaths.defaultModel.path,
                      timeout: Double = 120, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let command = "XDG_CONFIG_HOME='\(configDirectory.path)' '\(TestPaths.binary.path)' --db '\(database)' --model '\(model)'"
                + "; echo LLAMATERM-EXIT=$?; sleep 600"
            try start(["new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
            try wait("the model to load", timeout: timeout, sourceLocation: sourceLocation) {
                $0.contains("● ready") && $0.contains("ctx ")
            }
        }
    }

    static var tmuxAvailable: Bool {
        (try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["tmux", "-V"]).status) == 0
    }

    @Test(.timeLimit(.minutes(10)))
    func chatStopResizeQuitAndTheDatabaseKeepsIt() throws {
        try #require(Self.tmuxAvailable, "tmux is needed (scripts/test-deps installs it)")
        let dir = try TestPaths.temporaryDirectory("tui-e2e")
        let db = dir.appendingPathComponent("chats.sqlite").path
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.launchUI(configDirectory: dir, database: db, timeout: 60)

        // Options: a reply limit big enough for a reply to stream and be stopped, small enough to be quick.
        try tmux.keys("M-3")
        try tmux.wait("the options pane", timeout: 5) { $0.contains("Max new tokens") }
        try tmux.type("200")
        try tmux.keys("M-1")

        // First turn: the reply streams in, then finishes.
        try tmux.type("Name three colours.")
        try tmux.keys("Enter")
        var sawStreaming = false
        let first = try tmux.wait("the first reply", timeout: 180, every: 0.05) { screen in
            if screen.contains("● streaming") { sawStreaming = true }
            return screen.contains("● ready") && screen.contains("tok/s")
        }
        #expect(sawStreaming, "the reply should be seen streaming")
        #expect(first.contains("Name three colours."))
        #expect(!first.contains("✗ failed"), "\(first)")

        // System prompt pane: replace the prompt and apply it.
        try tmux.keys("M-2")
        try tmux.wait("the system prompt pane", timeout: 5) { $0.contains("applies from the next turn") }
        try tmux.keys("C-End")
        for _ in 0..<8 { try tmux.keys("C-u"); try tmux.keys("BSpace") }
        try tmux.type("You are a pirate. Always answer like a pirate.")
        try tmux.keys("C-s")
        try tmux.wait("the prompt to apply", timeout: 5) { $0.contains("System prompt applied") }

        // Second turn: stop it with Esc while it streams.
        try tmux.keys("M-1")
        try tmux.type("Tell me a long story about the sea.")
        try tmux.keys("Enter")
        // Wait for a few tokens of text (the status bar counts them), then stop.
        try tmux.wait("the second reply to stream", timeout: 120, every: 0.02) { screen in
            guard let status = screen.split(separator: "\n").first, let r = status.range(of: "● ") else { return false }
            let count = status[r.upperBound...].prefix { $0.isNumber }
            return screen.contains("● streaming") && (Int(count) ?? 0) >= 3
        }
        try tmux.keys("Escape")
        let stopped = try tmux.wait("the reply to stop", timeout: 30) { $0.contains("⏹ stopped") || $0.contains("● ready") }
        #expect(stopped.contains("⏹ stopped"), "Esc should stop the reply:\n\(stopped)")
        #expect(stopped.contains("Tell me a long story about the sea."))

        // Resize: smaller, tiny, back; the layout follows without garbage.
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "90", "-y", "28"])
        let small = try tmux.wait("the 90x28 layout", timeout: 5) { s in
            s.split(separator: "\n").first { $0.contains("Message") }.map { $0.hasSuffix("╮") && $0.count == 90 } ?? false
        }
        #expect(small.split(separator: "\n").count <= 28)
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "30", "-y", "8"])
        try tmux.wait("the too-small screen", timeout: 5) { $0.contains("Terminal too small") }
        try tmux.run(["resize-window", "-t", tmux.session, "-x", "120", "-y", "40"])
        try tmux.wait("the full layout again", timeout: 5) { $0.contains("Conversations") && !$0.contains("too small") }

        // Quit: the program ends with status 0 and gives the terminal back.
        try tmux.keys("C-q")
        let end = try tmux.wait("the program to exit", timeout: 15) { $0.contains("LLAMATERM-EXIT=") }
        #expect(end.contains("LLAMATERM-EXIT=0"))
        #expect(!end.contains("Conversations"), "the UI should be gone after quitting")

        // The database has both turns and the system-prompt change.
        let list = try runLlamaterm(["history", "list", "--db", db])
        #expect(list.status == 0, "\(list.stderr)")
        let shown = try runLlamaterm(["history", "show", "1", "--json", "--db", db])
        #expect(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let text = shown.stdout
        #expect(text.contains("Name three colours."))
        #expect(text.contains("Tell me a long story about the sea."))
        #expect(text.contains("You are a pirate. Always answer like a pirate."))
        let messages = (json["messages"] as? [[String: Any]]) ?? []
        let roles = messages.compactMap { $0["role"] as? String }.filter { $0 != "system" }
        #expect(roles == ["user", "assistant", "user", "assistant"], "\(text)")
        // The first reply is complete, the second cancelled with its partial text kept; each reply
        // records the system prompt it saw.
        let meta = try #require(json["llamaterm"] as? [String: Any])
        let stored = (meta["messages"] as? [[String: Any]]) ?? []
        let replies = stored.filter { $0["provenance"] != nil }
        #expect(replies.map { $0["status"] as? String } == ["complete", "cancelled"])
        let hashes = replies.compactMap { ($0["provenance"] as? [String: Any])?["system_prompt_hash"] as? String }
        #expect(hashes.count == 2 && hashes[0] != hashes[1], "the system prompt change is recorded per reply")
        let size = (try FileManager.default.attributesOfItem(atPath: TestPaths.defaultModel.path)[.size] as? NSNumber)?.intValue
        #expect(replies.allSatisfy { ($0["provenance"] as? [String: Any])?["model_size"] as? Int == size }, "each reply records the model file's size")
        if let partial = messages.last?["content"] as? String { #expect(!partial.isEmpty, "the stopped reply keeps its text") }
    }
}
