import Foundation
import Testing
import TestSupport

/// Drives the real UI's compare view (F3) in tmux with the real default model and a real
/// database: two library prompts, one message, both columns fill with a reply and its token count
/// and speed, and the kept column becomes the conversation's next turn in the database.
@Suite(.serialized) struct CompareViewEndToEndTests {
    typealias Tmux = TerminalUIEndToEndTests.Tmux

    /// The text inside each column box of the compare view (one string per column, its wrapped
    /// lines joined by spaces), and each column's footer ("N tok · R tok/s").
    static func columns(_ screen: String) -> (texts: [String], footers: [String]) {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let top = rows.firstIndex(where: { $0.contains("╭") }),
              let bottom = rows.lastIndex(where: { $0.contains("╰") }), bottom > top else { return ([], []) }
        var texts: [[String]] = []
        for row in rows[(top + 1)..<bottom] {
            // "│ left… ││ right… │": the odd pieces are the columns' insides.
            let pieces = row.split(separator: "│", omittingEmptySubsequences: false)
            let insides = stride(from: 1, to: pieces.count, by: 2).map { pieces[$0].trimmingCharacters(in: .whitespaces) }
            while texts.count < insides.count { texts.append([]) }
            for (i, t) in insides.enumerated() where !t.isEmpty { texts[i].append(t) }
        }
        let footers = rows[bottom].components(separatedBy: "╰").dropFirst().map { piece in
            piece.trimmingCharacters(in: CharacterSet(charactersIn: "─╯ "))
        }
        return (texts.map { $0.joined(separator: " ") }, footers)
    }

    static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Tokens in a footer such as "17 tok · 85.2 tok/s" (nil when it is not one).
    static func tokens(_ footer: String) -> Int? {
        guard footer.contains("tok/s"), let n = footer.split(separator: " ").first else { return nil }
        return Int(n)
    }

    @Test(.timeLimit(.minutes(10)))
    func compareTwoLibraryPromptsFillsBothColumnsAndKeepsOne() throws {
        try #require(TerminalUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/test-deps installs it)")
        let dir = try TestPaths.temporaryDirectory("compare-e2e")
        let db = dir.appendingPathComponent("chats.sqlite").path
        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.launchUI(configDirectory: dir, database: db)
        try tmux.wait("the model name in the status bar", timeout: 30) { $0.contains("SmolLM2") }

        // Options: short replies and a fixed seed (Max new tokens is the first field, Seed the eighth).
        try tmux.keys("M-3")
        try tmux.wait("the options pane", timeout: 10) { $0.contains("Max new tokens") }
        try tmux.type("24")
        for _ in 0..<7 { try tmux.keys("Down"); Thread.sleep(forTimeInterval: 0.05) }
        try tmux.type("42")
        try tmux.wait("the options to be set", timeout: 10) { screen in
            let lines = screen.split(separator: "\n")
            return lines.contains { $0.contains("Max new tokens") && $0.contains("24") } && lines.contains { $0.contains("Seed") && $0.contains("42") }
        }
        try tmux.keys("M-1")
        Thread.sleep(forTimeInterval: 0.2)

        // F3: the list of library prompts. Choose "concise" then "pirate" (column order).
        try tmux.keys("F3")
        let pick = try tmux.wait("the compare view", timeout: 10) { $0.contains("Compare · choose") && $0.contains("pirate") }
        let names = pick.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "[ ] ") else { return nil }
            return line[r.upperBound...].split(separator: " ").first.map(String.init)
        }
        let concise = try #require(names.firstIndex(of: "concise"), "\(pick)")
        let pirate = try #require(names.firstIndex(of: "pirate"), "\(pick)")
        var cursor = 0
        for target in [concise, pirate] {
            while cursor < target { try tmux.keys("Down"); cursor += 1; Thread.sleep(forTimeInterval: 0.05) }
            while cursor > target { try tmux.keys("Up"); cursor -= 1; Thread.sleep(forTimeInterval: 0.05) }
            try tmux.keys("Space")
            Thread.sleep(forTimeInterval: 0.1)
        }
        try tmux.wait("two prompts chosen", timeout: 10) { $0.contains("(2 chosen)") }
        try tmux.keys("Enter")
        try tmux.wait("the message editor", timeout: 10) { $0.contains("Type the message and press Enter") || $0.contains("Message for every prompt") }
        try tmux.type("What is the capital of France?")
        Thread.sleep(forTimeInterval: 0.2)
        try tmux.keys("Enter")

        // Both columns run one after another, then show their text, tokens and speed.
        var sawRunning = false
        let done = try tmux.wait("both columns to finish", timeout: 300, every: 0.1) { screen in
            if screen.contains("● running") { sawRunning = true }
            let (_, footers) = Self.columns(screen)
            return footers.count == 2 && footers.allSatisfy { Self.tokens($0) != nil }
        }
        #expect(sawRunning, "a column should be seen running")
        let (texts, footers) = Self.columns(done)
        #expect(done.contains("1 concise") && done.contains("2 pirate"), "\(done)")
        #expect(done.contains("» What is the capital of France?"))
        #expect(texts.count == 2, "\(done)")
        for (i, text) in texts.enumerated() {
            #expect(text.contains { $0.isLetter }, "column \(i + 1) should hold a reply:\n\(done)")
        }
        for f in footers {
            let n = Self.tokens(f) ?? 0
            #expect(n >= 1 && n <= 24, "token count within the limit: \(f)")
        }
        #expect(!done.contains("✗"), "no column failed:\n\(done)")

        // Keep the second column (pirate) as the conversation's next turn.
        try tmux.keys("Right")
        Thread.sleep(forTimeInterval: 0.1)
        try tmux.keys("k")
        let kept = try tmux.wait("the kept turn in the chat", timeout: 20) { $0.contains("Kept the reply of pirate") }
        #expect(kept.contains("What is the capital of France?"))
        #expect(!kept.contains("Compare · choose"))
        // The conversation appears in the conversations pane once saved.
        try tmux.wait("the saved conversation in the list", timeout: 20) { $0.contains("⚙ pirate") }

        // Compare again, continuing the conversation (h): each prompt writes its next reply.
        try tmux.keys("F3")
        let again = try tmux.wait("the compare view again", timeout: 10) { $0.contains("(1 chosen)") && $0.contains("h: continue the conversation") }
        #expect(again.contains("[1] pirate"), "the conversation's prompt is chosen first:\n\(again)")
        try tmux.keys("h")
        try tmux.wait("history on", timeout: 10) { $0.contains("continues the conversation (1 turn)") }
        cursor = pirate
        while cursor > concise { try tmux.keys("Up"); cursor -= 1; Thread.sleep(forTimeInterval: 0.05) }
        while cursor < concise { try tmux.keys("Down"); cursor += 1; Thread.sleep(forTimeInterval: 0.05) }
        try tmux.keys("Space")
        try tmux.wait("two prompts chosen", timeout: 10) { $0.contains("(2 chosen)") }
        try tmux.keys("Enter")
        try tmux.wait("the next-message editor", timeout: 10) { $0.contains("Next message of the conversation (after 1 turn)") }
        try tmux.type("And of Italy?")
        Thread.sleep(forTimeInterval: 0.2)
        try tmux.keys("Enter")
        let next = try tmux.wait("both next replies", timeout: 300, every: 0.1) { screen in
            let (_, footers) = Self.columns(screen)
            return screen.contains("» (after 1 turn) And of Italy?") && footers.count == 2 && footers.allSatisfy { Self.tokens($0) != nil }
        }
        #expect(next.contains("1 pirate") && next.contains("2 concise"), "\(next)")
        #expect(Self.columns(next).texts.allSatisfy { $0.contains { $0.isLetter } }, "\(next)")
        #expect(!next.contains("✗"), "\(next)")
        // Closing without keeping leaves the conversation as it was.
        try tmux.keys("Escape")
        try tmux.wait("the chat again", timeout: 10) { !$0.contains("» (after 1 turn)") && $0.contains("Message") }

        try tmux.keys("C-q")
        let end = try tmux.wait("the program to exit", timeout: 20) { $0.contains("LLAMATERM-EXIT=") }
        #expect(end.contains("LLAMATERM-EXIT=0"))

        // The database: one conversation with the pirate prompt, the message and the kept reply.
        let shown = try runLlamaterm(["history", "show", "1", "--json", "--db", db])
        #expect(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let messages = (json["messages"] as? [[String: Any]]) ?? []
        let turns = messages.filter { ($0["role"] as? String) != "system" }
        #expect(turns.compactMap { $0["role"] as? String } == ["user", "assistant"], "\(shown.stdout)")
        #expect(turns.first?["content"] as? String == "What is the capital of France?")
        let reply = turns.last?["content"] as? String ?? ""
        #expect(Self.collapsed(reply) == Self.collapsed(texts.count > 1 ? texts[1] : ""),
                "the stored reply is the kept column's text")
        #expect(shown.stdout.contains("Captain Salty"), "the pirate prompt is the conversation's system prompt")
    }

    /// A headless comparison saves an original and its variant; the UI's conversations pane shows
    /// the variant under its original ("↳"), folds it, and F4 shows the two side by side.
    @Test(.timeLimit(.minutes(10)))
    func variantsAreGroupedUnderTheirOriginalAndShownSideBySide() throws {
        try #require(TerminalUIEndToEndTests.tmuxAvailable, "tmux is needed (scripts/test-deps installs it)")
        let dir = try TestPaths.temporaryDirectory("variants-e2e")
        let db = dir.appendingPathComponent("chats.sqlite").path
        let model = TestPaths.defaultModel.path
        let compared = try runLlamaterm(["compare", "--prompt-name", "concise", "--prompt-name", "pirate", "--message", "Name a colour.",
                                         "--max-tokens", "16", "--seed", "7", "--json", "--db", db, "--model", model],
                                        environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(compared.status == 0, "\(compared.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: Any])
        let replies = ((json["results"] as? [[String: Any]]) ?? []).compactMap { $0["reply"] as? String }
        try #require(replies.count == 2, "\(compared.stdout)")

        let tmux = Tmux()
        defer { tmux.kill() }
        try tmux.launchUI(configDirectory: dir, database: db, model: model)
        try tmux.wait("the model name in the status bar", timeout: 30) { $0.contains("SmolLM2") }
        try tmux.keys("M-4")
        // The original first, its variant right under it.
        let list = try tmux.wait("the grouped list", timeout: 10) { $0.contains("↳ Name a colour") }
        let rows = list.split(separator: "\n").map(String.init)
        let variantRow = rows.firstIndex { $0.contains("↳ Name a colour") } ?? 0
        #expect(variantRow > 0 && rows[variantRow - 2].contains("Name a colour.") && !rows[variantRow - 2].contains("↳"),
                "the variant sits under its original:\n\(list)")
        // Fold and unfold the group.
        try tmux.keys("Left")
        try tmux.wait("the folded group", timeout: 10) { $0.contains("(+1)") && !$0.contains("↳") }
        try tmux.keys("Right")
        try tmux.wait("the unfolded group", timeout: 10) { $0.contains("↳ Name a colour") }
        try tmux.keys("Down")
        Thread.sleep(forTimeInterval: 0.2)
        try tmux.keys("F4")
        let side = try tmux.wait("the side-by-side view", timeout: 15) { $0.contains("Side by side") && $0.contains("Variant · pirate") }
        #expect(side.contains("Original · concise"), "\(side)")
        #expect(side.contains("» Name a colour."), "\(side)")
        #expect(side.contains("── Turn 1"), "\(side)")
        // Each reply's first word is in its column (left of the separator for the original).
        for (i, reply) in replies.enumerated() {
            guard let word = reply.split(whereSeparator: \.isWhitespace).first.map(String.init) else { continue }
            let hit = side.split(separator: "\n").contains { line in
                guard let sep = line.range(of: " │ ") else { return false }
                return i == 0 ? line[..<sep.lowerBound].contains(word) : line[sep.upperBound...].contains(word)
            }
            #expect(hit, "reply \(i + 1) (\(word)) in its column:\n\(side)")
        }
        try tmux.keys("Escape")
        try tmux.wait("the view to close", timeout: 10) { !$0.contains("Side by side") && $0.contains("↳ Name a colour") }

        // F5 on the original: replay it under "teacher"; the replay is a second variant under it.
        try tmux.keys("Up")
        Thread.sleep(forTimeInterval: 0.1)
        try tmux.keys("F5")
        try tmux.wait("the replay prompt picker", timeout: 10) { $0.contains("Replay the conversation under which system prompt?") }
        try tmux.type("teacher")
        Thread.sleep(forTimeInterval: 0.2)
        try tmux.keys("Enter")
        let replayed = try tmux.wait("the replay to finish", timeout: 300) { $0.contains("Replayed 1 turn into") || $0.contains("✗") }
        #expect(replayed.contains("Replayed 1 turn into"), "\(replayed)")
        let grouped = try tmux.wait("two variants", timeout: 10) { $0.components(separatedBy: "↳ Name a colour").count == 3 }
        #expect(grouped.contains("(replay: teacher)"), "\(grouped)")
        // Search results group the same way.
        try tmux.type("colour")
        let found = try tmux.wait("grouped search results", timeout: 15) { $0.contains("[colour]") && $0.components(separatedBy: "↳").count == 3 }
        #expect(found.contains("[colour]"), "the search snippets: \(found)")
        try tmux.keys("Escape")
        try tmux.wait("the search cleared", timeout: 10) { !$0.contains("[colour]") }
        try tmux.keys("C-q")
        let end = try tmux.wait("the program to exit", timeout: 20) { $0.contains("LLAMATERM-EXIT=") }
        #expect(end.contains("LLAMATERM-EXIT=0"))

        // The replay (conversation 3, linked: the pane showed it under the original) has the teacher
        // prompt, the same user message and a new reply.
        let shown = try runLlamaterm(["history", "show", "3", "--json", "--db", db])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("patient teacher"), "\(shown.stdout)")
        let replay = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let turns = ((replay["messages"] as? [[String: Any]]) ?? []).filter { ($0["role"] as? String) != "system" }
        #expect(turns.compactMap { $0["role"] as? String } == ["user", "assistant"])
        #expect(turns.first?["content"] as? String == "Name a colour.")
        let reply = (turns.last?["content"] as? String) ?? ""
        #expect(reply.contains { $0.isLetter }, "the replay has a new reply")
    }
}
