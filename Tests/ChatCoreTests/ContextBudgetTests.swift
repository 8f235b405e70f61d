import Testing
@testable import ChatCore

/// The budget's arithmetic with known per-turn costs (the real-tokenizer tests are in
/// PromptRenderingTests).
@Suite struct ContextBudgetTests {
    /// A prompt of `system` tokens plus `perTurn[i]` for each kept turn.
    func cost(system: Int, _ perTurn: [Int]) -> (Int) -> Int {
        { first in system + perTurn[first...].reduce(0, +) }
    }

    @Test func windowAndReserve() {
        var o = GenerationOptions()
        #expect(ContextBudget(modelContext: 8192, options: o).window == 4096)
        #expect(ContextBudget(modelContext: 2048, options: o).window == 2048)
        #expect(ContextBudget(modelContext: nil, options: o).window == 4096)
        let b = ContextBudget(modelContext: 8192, options: o)
        #expect(b.reserve == 1024)   // min(1024, 4096 / 4)
        o.maxTokens = 100
        #expect(ContextBudget(modelContext: 8192, options: o).reserve == 100)
        o.maxTokens = 5000
        #expect(ContextBudget(modelContext: 8192, options: o).reserve == 1024, "capped at a quarter of the window")
    }

    @Test func exactlyFullKeepsEverything() throws {
        let b = ContextBudget(window: 1000, maxTokens: 250)   // available 750
        let fit = try b.fit(turnCount: 3, cost: cost(system: 150, [200, 200, 200]))
        #expect(fit.firstTurn == 0)
        #expect(fit.promptTokens == 750)
        #expect(fit.droppedTurns.isEmpty)
        #expect(fit.maxNewTokens == 250)
    }

    @Test func oneTokenOverDropsTheOldestTurnsByAStep() throws {
        let b = ContextBudget(window: 1000, maxTokens: 250)   // available 750, drop step 250
        let fit = try b.fit(turnCount: 4, cost: cost(system: 151, [200, 200, 100, 100]))
        // 751 > 750: dropping turn 0 gives 551, which is not 250 below the limit; dropping turns 0-1 gives 351 <= 500.
        #expect(fit.firstTurn == 2)
        #expect(fit.promptTokens == 351)
        #expect(fit.droppedTurns == 0..<2)
    }

    @Test func newestTurnsTooLargeForAFullStepStillFit() throws {
        let b = ContextBudget(window: 1000, maxTokens: 250)
        let fit = try b.fit(turnCount: 3, cost: cost(system: 100, [200, 300, 340]))
        // from turn 1: 740 fits but is not a full step below; from turn 2: 440 <= 500
        #expect(fit.firstTurn == 2)
        let fit2 = try b.fit(turnCount: 2, cost: cost(system: 100, [200, 640]))
        #expect(fit2.firstTurn == 1, "740 fits, 500 is out of reach: keep the newest turn")
        #expect(fit2.promptTokens == 740)
    }

    @Test func systemAndNewestMessageTooLargeIsAnError() throws {
        let b = ContextBudget(window: 1000, maxTokens: 250)
        #expect(throws: ChatError.promptTooLong(needed: 760, available: 750, window: 1000, reserved: 250)) {
            try b.fit(turnCount: 2, cost: cost(system: 700, [10, 60]))
        }
        #expect(throws: ChatError.promptTooLong(needed: 1200, available: 750, window: 1000, reserved: 250)) {
            try b.fit(turnCount: 1, cost: cost(system: 1190, [10]))
        }
        #expect(throws: ChatError.self) { try b.fit(turnCount: 0, cost: cost(system: 1, [])) }
    }

    @Test func dropsAreStickyOverATwoHundredTurnConversation() throws {
        let b = ContextBudget(window: 4096, maxTokens: 1024)   // available 3072, step 1024
        var sticky = 0
        var starts: [Int] = []
        var changes = 0
        for n in 1...200 {
            let perTurn = (0..<n).map { 40 + ($0 * 7) % 50 }
            let fit = try b.fit(turnCount: n, stickyStart: sticky, cost: cost(system: 300, perTurn))
            #expect(fit.promptTokens <= b.available)
            #expect(fit.promptTokens == 300 + perTurn[fit.firstTurn...].reduce(0, +))
            #expect(fit.firstTurn >= sticky, "the first kept turn never moves back")
            if fit.firstTurn != sticky { changes += 1 }
            sticky = fit.firstTurn
            starts.append(fit.firstTurn)
            if fit.firstTurn > 0 {
                // whole turns only, oldest first: keeping one more older turn would not fit the step's target
                #expect(300 + perTurn[(fit.firstTurn - 1)...].reduce(0, +) > b.available - b.dropStep)
            }
        }
        // ~65 tokens a turn, ~1000 tokens freed per drop: a drop about every 15 turns, not every turn.
        #expect(starts.last! > 100)
        #expect(changes >= 5 && changes <= 20, "drops happened \(changes) times")
    }
}
