/// A key, without modifiers.
public enum Key: Hashable, Sendable {
    case char(Character)
    case enter, tab, backTab, backspace, delete, escape, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
}

/// Modifier keys held with a key.
public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let ctrl = Modifiers(rawValue: 1)
    public static let alt = Modifiers(rawValue: 2)
    public static let shift = Modifiers(rawValue: 4)
}

/// A key press. Control letters arrive as `.char("q")` with `.ctrl` (lower case).
public struct KeyEvent: Hashable, Sendable, CustomStringConvertible {
    public var key: Key
    public var modifiers: Modifiers

    public init(_ key: Key, _ modifiers: Modifiers = []) { self.key = key; self.modifiers = modifiers }

    /// Ctrl plus a letter.
    public static func ctrl(_ c: Character) -> KeyEvent { KeyEvent(.char(c), .ctrl) }
    /// Alt plus a key.
    public static func alt(_ k: Key) -> KeyEvent { KeyEvent(k, .alt) }
    /// A plain printable character.
    public static func char(_ c: Character) -> KeyEvent { KeyEvent(.char(c)) }

    /// The printable character this key types, if it types one.
    public var typedCharacter: Character? {
        if case .char(let c) = key, modifiers.isDisjoint(with: [.ctrl, .alt]) { return c }
        return nil
    }

    public var description: String {
        var s = ""
        if modifiers.contains(.ctrl) { s += "Ctrl-" }
        if modifiers.contains(.alt) { s += "Alt-" }
        if modifiers.contains(.shift) { s += "Shift-" }
        switch key {
        case .char(let c): s += String(c)
        case .function(let n): s += "F\(n)"
        default: s += "\(key)"
        }
        return s
    }
}

/// A mouse event the UI understands.
public enum MouseEvent: Hashable, Sendable {
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
    case click(x: Int, y: Int)
}

/// Input from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(KeyEvent)
    /// A bracketed paste: the pasted text arrives in one piece.
    case paste(String)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}
