/// Borders and separators drawn with box-drawing characters.
public enum BoxStyle: Sendable {
    case rounded, square, heavy, double

    var chars: (tl: String, tr: String, bl: String, br: String, h: String, v: String) {
        switch self {
        case .rounded: return ("╭", "╮", "╰", "╯", "─", "│")
        case .square: return ("┌", "┐", "└", "┘", "─", "│")
        case .heavy: return ("┏", "┓", "┗", "┛", "━", "┃")
        case .double: return ("╔", "╗", "╚", "╝", "═", "║")
        }
    }
}

extension ScreenBuffer {
    /// Draws a border around `rect` with an optional title on the top edge and a note on the
    /// bottom edge (right-aligned); the inside is left as it was.
    public mutating func drawBox(_ rect: Rect, style: Style, box: BoxStyle = .rounded,
                                 title: [Span] = [], footer: [Span] = []) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let c = box.chars
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        put(c.tl, x: rect.x, y: rect.y, style: style)
        put(c.tr, x: right, y: rect.y, style: style)
        put(c.bl, x: rect.x, y: bottom, style: style)
        put(c.br, x: right, y: bottom, style: style)
        for x in (rect.x + 1)..<right {
            put(c.h, x: x, y: rect.y, style: style)
            put(c.h, x: x, y: bottom, style: style)
        }
        if rect.height > 2 {
            for y in (rect.y + 1)..<bottom {
                put(c.v, x: rect.x, y: y, style: style)
                put(c.v, x: right, y: y, style: style)
            }
        }
        if !title.isEmpty, rect.width > 4 {
            put([Span(" ", style)] + title + [Span(" ", style)], x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2)
        }
        if !footer.isEmpty, rect.width > 4 {
            let w = min(footer.reduce(0) { $0 + $1.width } + 2, rect.width - 2)
            put([Span(" ", style)] + footer + [Span(" ", style)], x: right - w, y: bottom, maxWidth: w)
        }
    }

    /// A horizontal line across `width` columns from (`x`, `y`).
    public mutating func hline(x: Int, y: Int, width: Int, style: Style, char: String = "─") {
        guard width > 0 else { return }
        for i in 0..<width { put(char, x: x + i, y: y, style: style) }
    }
}
