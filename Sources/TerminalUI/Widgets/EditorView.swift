/// Draws a `TextEditor`, wrapping long lines at the rectangle's width and scrolling so the cursor
/// stays visible.
public enum EditorView {
    /// The visual rows of `editor` at `width` columns: (logical row, start, end) character ranges.
    static func visualRows(_ editor: TextEditor, width: Int) -> [(row: Int, start: Int, end: Int)] {
        var out: [(Int, Int, Int)] = []
        let w = max(1, width)
        for (r, line) in editor.lines.enumerated() {
            var start = 0, used = 0
            for (i, c) in line.enumerated() {
                let cw = CharWidth.width(of: c)
                if used + cw > w { out.append((r, start, i)); start = i; used = 0 }
                used += cw
            }
            out.append((r, start, line.count))
        }
        return out
    }

    /// Visual rows the editor's text needs at `width` (at least 1).
    public static func height(of editor: TextEditor, width: Int) -> Int {
        visualRows(editor, width: width).count
    }

    /// Draws the editor into `rect`; when `focused`, places the terminal cursor. Shows
    /// `placeholder` in the dim style when empty.
    public static func draw(_ editor: TextEditor, into buffer: inout ScreenBuffer, rect: Rect, style: Style,
                            focused: Bool, placeholder: String = "", theme: Theme) {
        guard !rect.isEmpty else { return }
        buffer.fill(rect, style: style)
        if editor.isEmpty && !placeholder.isEmpty {
            buffer.put(placeholder, x: rect.x, y: rect.y, style: theme[.dim].over(style.bg), maxWidth: rect.width)
        }
        let rows = visualRows(editor, width: rect.width - 1)
        // The visual row holding the cursor: the last segment of its line starting at or before col.
        var cursorVisual = 0
        for (i, v) in rows.enumerated() where v.row == editor.row && v.start <= editor.col { cursorVisual = i }
        let top = max(0, cursorVisual - rect.height + 1)
        for screenRow in 0..<rect.height {
            let i = top + screenRow
            guard i < rows.count else { break }
            let v = rows[i]
            let text = String(editor.lines[v.row][v.start..<v.end])
            buffer.put(text, x: rect.x, y: rect.y + screenRow, style: style, maxWidth: rect.width)
        }
        if focused {
            let v = rows[cursorVisual]
            let prefix = editor.lines[v.row][v.start..<min(editor.col, v.end)]
            let x = rect.x + prefix.reduce(0) { $0 + CharWidth.width(of: $1) }
            buffer.cursor = (min(x, rect.maxX - 1), rect.y + cursorVisual - top)
        }
        if top > 0 { buffer.put("↑", x: rect.maxX - 1, y: rect.y, style: theme[.dim].over(style.bg)) }
        if top + rect.height < rows.count { buffer.put("↓", x: rect.maxX - 1, y: rect.maxY - 1, style: theme[.dim].over(style.bg)) }
    }
}
