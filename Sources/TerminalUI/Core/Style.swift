/// A terminal colour as a theme names it; backends reduce it to what the terminal can show.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright).
    case ansi(UInt8)
    /// One of the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The ANSI colour names accepted in themes, in palette order.
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "brightblack", "brightred", "brightgreen", "brightyellow",
        "brightblue", "brightmagenta", "brightcyan", "brightwhite",
    ]

    /// Parses `default`, an ANSI name (`red`, `brightblue`, `grey` = bright black), a palette
    /// index (`0`...`255`) or `#rrggbb`. Nil when the text is none of these.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" || t == "none" || t.isEmpty { self = .terminalDefault; return }
        if t == "grey" || t == "gray" { self = .ansi(8); return }
        if let i = Color.ansiNames.firstIndex(of: t) { self = .ansi(UInt8(i)); return }
        if let n = Int(t), (0...255).contains(n) { self = .indexed(UInt8(n)); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
            return
        }
        return nil
    }

    /// The colour as the nearest one a terminal of `depth` can show.
    public func reduced(to depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (.terminalDefault, _): return .terminalDefault
        case (_, .none): return .terminalDefault
        case (.ansi(let n), .eight): return .ansi(n & 7)
        case (.ansi, _): return self
        case (.indexed(let n), .eight): return n < 16 ? .ansi(n & 7) : Color.nearestAnsi(Color.paletteRGB(n), count: 8)
        case (.indexed(let n), .sixteen): return n < 16 ? .ansi(n) : Color.nearestAnsi(Color.paletteRGB(n), count: 16)
        case (.indexed, _): return self
        case (.rgb(let r, let g, let b), .eight): return Color.nearestAnsi((r, g, b), count: 8)
        case (.rgb(let r, let g, let b), .sixteen): return Color.nearestAnsi((r, g, b), count: 16)
        case (.rgb(let r, let g, let b), .c256): return .indexed(Color.nearest256((r, g, b)))
        case (.rgb, .truecolor): return self
        }
    }

    /// The xterm palette's RGB value of index `n`.
    public static func paletteRGB(_ n: UInt8) -> (UInt8, UInt8, UInt8) {
        let ansi: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if n < 16 { return ansi[Int(n)] }
        if n >= 232 { let v = UInt8(8 + 10 * Int(n - 232)); return (v, v, v) }
        let i = Int(n) - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    static func nearest256(_ c: (UInt8, UInt8, UInt8)) -> UInt8 {
        var best: UInt8 = 16, bestD = Int.max
        for n in 16...255 {
            let d = distance(c, paletteRGB(UInt8(n)))
            if d < bestD { bestD = d; best = UInt8(n) }
        }
        return best
    }

    static func nearestAnsi(_ c: (UInt8, UInt8, UInt8), count: Int) -> Color {
        var best: UInt8 = 0, bestD = Int.max
        for n in 0..<count {
            let d = distance(c, paletteRGB(UInt8(n)))
            if d < bestD { bestD = d; best = UInt8(n) }
        }
        return .ansi(best)
    }
}

/// How many colours a terminal can show.
public enum ColorDepth: Int, Sendable, Comparable {
    case none = 0, eight = 8, sixteen = 16, c256 = 256, truecolor = 16_777_216

    /// The depth for a terminal reporting `colors` colours.
    public init(colors: Int) {
        switch colors {
        case ..<8: self = .none
        case 8..<16: self = .eight
        case 16..<256: self = .sixteen
        case 256..<16_777_216: self = .c256
        default: self = .truecolor
        }
    }

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

/// Text attributes.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let italic = Attributes(rawValue: 4)
    public static let underline = Attributes(rawValue: 8)
    public static let reverse = Attributes(rawValue: 16)

    /// Parses a space- or comma-separated list such as `bold underline`; unknown words are skipped.
    public init(parsing text: String) {
        var a = Attributes()
        for word in text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }) {
            switch word {
            case "bold": a.insert(.bold)
            case "dim": a.insert(.dim)
            case "italic": a.insert(.italic)
            case "underline": a.insert(.underline)
            case "reverse": a.insert(.reverse)
            default: break
            }
        }
        self = a
    }
}

/// How a cell looks: colours and attributes.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .terminalDefault, bg: Color = .terminalDefault, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// The terminal's plain style.
    public static let plain = Style()

    /// This style with `attributes` added.
    public func with(_ attributes: Attributes) -> Style {
        var s = self
        s.attributes.formUnion(attributes)
        return s
    }

    /// This style drawn over `background` when it has no background of its own.
    public func over(_ background: Color) -> Style {
        var s = self
        if s.bg == .terminalDefault { s.bg = background }
        return s
    }
}
