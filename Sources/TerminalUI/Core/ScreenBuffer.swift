/// A rectangle of the screen in cells.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// The rectangle shrunk by `n` cells on every side (a box's inside).
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
    /// The top `rows` rows, and the rest below.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }
    /// The bottom `rows` rows, and the rest above.
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: height - r), Rect(x: x, y: y + height - r, width: width, height: r))
    }
    /// The left `columns` columns, and the rest to the right.
    public func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let c = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }
    /// A `width` x `height` rectangle centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}

/// One screen cell: a character, the columns it takes and its style. The cell to the right of a
/// two-column character is a continuation (`width == 0`, empty text).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(_ text: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.text = text; self.width = width; self.style = style
    }

    /// A blank cell in `style`.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", width: 1, style: style) }
    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { width == 0 }
}

/// A grid of cells: what a frame looks like. Widgets draw into it; a backend shows it.
public struct ScreenBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown, or nil to hide it.
    public var cursor: (x: Int, y: Int)? {
        get { cursorX.map { ($0, cursorY) } }
        set { cursorX = newValue?.x; cursorY = newValue?.y ?? 0 }
    }
    private var cursorX: Int?
    private var cursorY = 0

    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    public static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorX == b.cursorX && a.cursorY == b.cursorY
    }

    /// The whole screen.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y` (nil outside the screen).
    public func cell(_ x: Int, _ y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        let old = cells[i]
        if old.isContinuation, x > 0 { cells[i - 1] = .blank(cells[i - 1].style) }
        if old.width == 2, x + 1 < width { cells[i + 1] = .blank(cells[i + 1].style) }
        cells[i] = cell
    }

    /// Fills `rect` (clipped to the screen) with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX), y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            if x0 > 0, cells[y * width + x0].isContinuation { cells[y * width + x0 - 1] = .blank(cells[y * width + x0 - 1].style) }
            if x1 < width, cells[y * width + x1].isContinuation { cells[y * width + x1] = .blank(cells[y * width + x1].style) }
            for x in x0..<x1 { cells[y * width + x] = .blank(style) }
        }
    }

    /// Changes the style of the cells in `rect` (keeping their text).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX), y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { cells[y * width + x].style = transform(cells[y * width + x].style) } }
    }

    /// Writes `text` from column `x` on row `y`, at most `maxWidth` columns (default: to the right
    /// edge), clipping at the screen. Controls and tabs become spaces; a wide character that would
    /// not fit is replaced by a space. Returns the columns written.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            if col >= limit { break }
            var c = ch
            var w = CharWidth.width(of: c)
            if w == 0 {
                if let f = c.unicodeScalars.first, f.value < 0x20 || f.value == 0x7F { c = " "; w = 1 } else { continue }
            }
            if col + w > limit {
                if col >= 0 { set(col, y, Cell(" ", width: 1, style: style)) }
                col += 1
                break
            }
            if col >= 0 {
                set(col, y, Cell(String(c), width: UInt8(w), style: style))
                if w == 2 { set(col + 1, y, Cell("", width: 0, style: style)) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes a sequence of styled spans from column `x`; returns the columns written.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        var col = x
        let limit = x + (maxWidth ?? (width - x))
        for s in spans {
            if col >= limit { break }
            col += put(s.text, x: col, y: y, style: s.style, maxWidth: limit - col)
        }
        return col - x
    }

    /// The screen as text, one line per row, trailing spaces removed; wide characters appear once.
    public func text() -> String {
        var lines: [String] = []
        for y in 0..<height { lines.append(row(y)) }
        return lines.joined(separator: "\n")
    }

    /// Row `y` as text with trailing spaces removed.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var line = ""
        for x in 0..<width { line += cells[y * width + x].text }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}

/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style) { self.text = text; self.style = style }
    /// Columns this span takes.
    public var width: Int { CharWidth.width(of: text) }
}
