/// One row of the conversations pane once variants are grouped under their originals.
public struct ConversationRow: Hashable, Sendable {
    public var item: ConversationListItem
    /// 0 for an original (or a variant whose original is not in the list), 1 for its variants,
    /// 2 for variants of those, ...
    public var depth: Int
    /// Variants (at any depth) below this row in the tree, shown or not.
    public var descendantCount: Int
    /// True when this row's variants are hidden.
    public var isCollapsed: Bool

    public init(item: ConversationListItem, depth: Int, descendantCount: Int = 0, isCollapsed: Bool = false) {
        self.item = item; self.depth = depth; self.descendantCount = descendantCount; self.isCollapsed = isCollapsed
    }
}

/// Groups the conversation list: each variant (fork, replay, compare column) right under its
/// original, in the list's order within each level. A variant whose original is not in the list
/// stays where it is, as a top-level row. Pure: no I/O.
public enum ConversationGrouping {
    /// The rows to show; the variants of conversations in `collapsed` are left out.
    public static func rows(_ items: [ConversationListItem], collapsed: Set<Int64> = []) -> [ConversationRow] {
        let ids = Set(items.map(\.id))
        var children: [Int64: [ConversationListItem]] = [:]
        var roots: [ConversationListItem] = []
        for item in items {
            if let p = item.parentId, p != item.id, ids.contains(p) {
                children[p, default: []].append(item)
            } else {
                roots.append(item)
            }
        }
        var placed = Set<Int64>()
        var out: [ConversationRow] = []

        func count(_ id: Int64, _ seen: inout Set<Int64>) -> Int {
            var n = 0
            for c in children[id] ?? [] where seen.insert(c.id).inserted { n += 1 + count(c.id, &seen) }
            return n
        }
        func place(_ item: ConversationListItem, depth: Int, visible: Bool) {
            guard placed.insert(item.id).inserted else { return }
            var seen: Set<Int64> = [item.id]
            let hidden = collapsed.contains(item.id)
            let descendants = count(item.id, &seen)
            if visible {
                out.append(ConversationRow(item: item, depth: depth, descendantCount: descendants, isCollapsed: hidden && descendants > 0))
            }
            for c in children[item.id] ?? [] { place(c, depth: depth + 1, visible: visible && !hidden) }
        }
        for r in roots { place(r, depth: 0, visible: true) }
        // Items in a parent cycle (never reached from a root) still show, at the top level.
        for item in items where !placed.contains(item.id) { place(item, depth: 0, visible: true) }
        return out
    }

    /// The id of the top-level row of `id`'s group (itself when it is not a variant in the list).
    public static func root(of id: Int64, in items: [ConversationListItem]) -> Int64 {
        let parents = Dictionary(items.map { ($0.id, $0.parentId) }, uniquingKeysWith: { a, _ in a })
        var current = id
        var seen: Set<Int64> = [id]
        while let p = parents[current] ?? nil, parents[p] != nil, seen.insert(p).inserted { current = p }
        return current
    }

    /// The title as the list shows it: indented with "↳" under its original (deeper levels
    /// indented further, up to a limit), and the number of hidden variants when collapsed.
    public static func displayTitle(_ row: ConversationRow) -> String {
        var title = row.item.title
        if row.isCollapsed { title += " (+\(row.descendantCount))" }
        guard row.depth > 0 else { return title }
        return String(repeating: " ", count: min(row.depth - 1, 3) * 2) + "↳ " + title
    }
}
