import Testing
@testable import TerminalUI

/// Variants (replays, compare columns, forks) grouped under their original in the conversations pane.
@Suite struct ConversationGroupingTests {
    typealias S = SampleStates
    typealias Item = ConversationListItem

    /// Most recent first, as the store lists them: a variant can be newer than its original.
    static let items = [
        Item(id: 3, title: "Capital (replay: pirate)", parentId: 1),
        Item(id: 2, title: "Trip to Lyon"),
        Item(id: 1, title: "Capital"),
        Item(id: 4, title: "Capital (replay: pirate) (fork)", parentId: 3),
        Item(id: 6, title: "Capital (concise)", parentId: 1),
        Item(id: 5, title: "Orphan variant", parentId: 99),
    ]

    func shape(_ rows: [ConversationRow]) -> [String] {
        rows.map { "\($0.item.id)@\($0.depth)" + ($0.isCollapsed ? "+\($0.descendantCount)" : "") }
    }

    @Test func variantsFollowTheirOriginalInListOrder() {
        let rows = ConversationGrouping.rows(Self.items)
        #expect(shape(rows) == ["2@0", "1@0", "3@1", "4@2", "6@1", "5@0"])
        #expect(rows.first { $0.item.id == 1 }?.descendantCount == 3)
        #expect(rows.map(\.item.id).sorted() == Self.items.map(\.id).sorted(), "every conversation once")
    }

    @Test func collapsingHidesEveryLevelBelow() {
        #expect(shape(ConversationGrouping.rows(Self.items, collapsed: [1])) == ["2@0", "1@0+3", "5@0"])
        #expect(shape(ConversationGrouping.rows(Self.items, collapsed: [3])) == ["2@0", "1@0", "3@1+1", "6@1", "5@0"])
        // Collapsing a conversation without variants changes nothing.
        #expect(shape(ConversationGrouping.rows(Self.items, collapsed: [2])) == ["2@0", "1@0", "3@1", "4@2", "6@1", "5@0"])
        #expect(ConversationGrouping.root(of: 4, in: Self.items) == 1)
        #expect(ConversationGrouping.root(of: 5, in: Self.items) == 5)
    }

    @Test func parentCyclesAndSelfLinksStillShowEveryRowOnce() {
        let items = [Item(id: 1, title: "a", parentId: 2), Item(id: 2, title: "b", parentId: 1), Item(id: 3, title: "c", parentId: 3)]
        let rows = ConversationGrouping.rows(items)
        #expect(rows.map(\.item.id).sorted() == [1, 2, 3])
        #expect(ConversationGrouping.root(of: 1, in: items) != 0)
        #expect(ConversationGrouping.rows([]).isEmpty)
    }

    @Test func titlesAreIndentedWithAnArrow() {
        let rows = ConversationGrouping.rows(Self.items, collapsed: [3])
        let titles = rows.map(ConversationGrouping.displayTitle)
        #expect(titles == ["Trip to Lyon", "Capital", "↳ Capital (replay: pirate) (+1)", "↳ Capital (concise)", "Orphan variant"])
        let deep = ConversationGrouping.displayTitle(ConversationRow(item: Item(id: 9, title: "x"), depth: 3))
        #expect(deep == "    ↳ x")
    }

    func paneState(width: Int = 120, height: Int = 30) -> AppState {
        var s = S.chat(width: width, height: height)
        _ = reduce(&s, .conversationsListed(Self.items, query: ""))
        _ = S.key(&s, KeyEvent(.char("4"), .alt))
        return s
    }

    @Test func thePaneShowsVariantsUnderTheirOriginalAndFoldsThem() {
        var s = paneState()
        var screen = AppView.render(s, theme: .dark).text()
        let lines = screen.split(separator: "\n").map(String.init)
        let original = lines.firstIndex { $0.contains("▸ Capital") || $0.contains("  Capital") }
        let variant = lines.firstIndex { $0.contains("↳ Capital (replay") }
        #expect(original != nil && variant != nil && original! < variant!, "\(screen)")
        // Select the deep variant (row 3) and fold its group: the original is selected, its variants hidden.
        for _ in 0..<3 { _ = S.key(&s, KeyEvent(.down)) }
        #expect(s.conversations.selectedRow?.item.id == 4)
        _ = S.key(&s, KeyEvent(.left))
        #expect(s.conversations.selectedRow?.item.id == 1)
        screen = AppView.render(s, theme: .dark).text()
        #expect(screen.contains("Capital (+3)"), "\(screen)")
        #expect(!screen.contains("↳"))
        _ = S.key(&s, KeyEvent(.right))
        #expect(s.conversations.rows.count == 6)
        // Enter opens the selected row's conversation.
        _ = S.key(&s, KeyEvent(.down))
        #expect(S.key(&s, KeyEvent(.enter)) == [.loadConversation(3)])
    }

    @Test func f4OpensAVariantBesideItsOriginalOnly() {
        var s = paneState()
        _ = S.key(&s, KeyEvent(.down))  // "Capital", an original
        #expect(S.key(&s, KeyEvent(.function(4))) == [])
        #expect(s.notice?.isError == true)
        _ = S.key(&s, KeyEvent(.down))  // its replay
        #expect(S.key(&s, KeyEvent(.function(4))) == [.openSideBySide(variant: 3)])
    }

    @Test func narrowTerminalsShowTheGroupsToo() {
        for (w, h) in [(44, 12), (60, 16), (80, 24)] {
            var s = paneState(width: w, height: h)
            _ = S.key(&s, KeyEvent(.down))
            let buf = AppView.render(s, theme: .dark)
            #expect(buf.width == w && buf.height == h)
            #expect(buf.text().contains("↳"), "\(w)x\(h):\n\(buf.text())")
        }
    }

    @Test func openingAConversationInAFoldedGroupUnfoldsIt() {
        var s = paneState()
        s.conversations.collapsed = [1]
        #expect(s.conversations.rows.count == 3)
        _ = reduce(&s, .conversationLoaded(ConversationSnapshot(id: 4, title: "Capital (replay: pirate) (fork)", messages: [], systemPrompt: "")))
        #expect(s.conversations.collapsed.isEmpty)
        #expect(s.conversations.selectedRow?.item.id == 4)
    }
}
