/// A vertical list with a selection, one or two rows per item, scrolled to keep the selection
/// visible.
public enum ListView {
    /// One item: a title and an optional dim detail line under it.
    public struct Row: Hashable, Sendable {
        public var title: String
        public var detail: String
        public var badge: String
        public init(title: String, detail: String = "", badge: String = "") {
            self.title = title; self.detail = detail; self.badge = badge
        }
    }

    /// Whether every whitespace-separated term of `query` occurs in `text`, ignoring case.
    public static func matches(_ query: String, _ text: String) -> Bool {
        let hay = text.lowercased()
        return query.lowercased().split(separator: " ").allSatisfy { hay.contains($0) }
    }

    /// Draws `rows` into `rect` with `selected` highlighted (strongly when `focused`).
    public static func draw(_ rows: [Row], selected: Int?, into buffer: inout ScreenBuffer, rect: Rect,
                            focused: Bool, theme: Theme, emptyText: String = "") {
        guard !rect.isEmpty else { return }
        if rows.isEmpty {
            buffer.put(CharWidth.truncate(emptyText, to: rect.width), x: rect.x, y: rect.y, style: theme[.dim])
            return
        }
        let twoLine = rows.contains { !$0.detail.isEmpty } && rect.height >= 4
        let perItem = twoLine ? 2 : 1
        let visible = max(1, rect.height / perItem)
        let sel = selected.map { min(max(0, $0), rows.count - 1) }
        let top = max(0, min((sel ?? 0) - visible + 1, rows.count - visible))
        for slot in 0..<visible {
            let i = top + slot
            guard i < rows.count else { break }
            let y = rect.y + slot * perItem
            let isSel = i == sel
            let style = isSel ? theme[focused ? .selection : .selectionInactive] : theme[.base]
            let detailStyle = isSel ? style : theme[.dim]
            if isSel { buffer.fill(Rect(x: rect.x, y: y, width: rect.width, height: perItem), style: style) }
            let marker = isSel ? "▸ " : "  "
            let badgeWidth = rows[i].badge.isEmpty ? 0 : CharWidth.width(of: rows[i].badge) + 1
            buffer.put(marker + CharWidth.truncate(rows[i].title, to: rect.width - 2 - badgeWidth - 1), x: rect.x, y: y, style: style, maxWidth: rect.width)
            if badgeWidth > 0 {
                buffer.put(rows[i].badge, x: rect.maxX - badgeWidth, y: y, style: isSel ? style : theme[.accent], maxWidth: badgeWidth)
            }
            if twoLine {
                buffer.put("  " + CharWidth.truncate(rows[i].detail, to: rect.width - 3), x: rect.x, y: y + 1, style: detailStyle, maxWidth: rect.width)
            }
        }
        if top > 0 { buffer.put("▲", x: rect.maxX - 1, y: rect.y, style: theme[.dim]) }
        if top + visible < rows.count { buffer.put("▼", x: rect.maxX - 1, y: rect.maxY - 1, style: theme[.dim]) }
    }
}
