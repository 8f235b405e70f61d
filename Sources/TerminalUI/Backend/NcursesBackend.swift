import CNcurses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one place that talks to ncurses: shows `ScreenBuffer` frames (only the cells that changed
/// since the last frame), reads keys, pastes, mouse wheel and resizes without blocking.
public final class NcursesBackend: TerminalBackend {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: ScreenBuffer?
    private var pairs: [Int64: Int32] = [:]
    private let depth: ColorDepth
    private let directColor: Bool
    private var width: Int
    private var height: Int
    private var pasteBuffer: String?
    private var closed = false

    /// Key codes we teach ncurses for sequences its terminal description may lack.
    private enum Custom {
        static let base: Int32 = 0x1000
        static let pasteStart = base, pasteEnd = base + 1
        static let ctrlLeft = base + 2, ctrlRight = base + 3, ctrlHome = base + 4, ctrlEnd = base + 5
        static let altLeft = base + 6, altRight = base + 7, shiftTab = base + 8, ctrlUp = base + 9, ctrlDown = base + 10
    }
    private var extraKeys: [Int32: KeyEvent] = [:]

    /// Takes over the terminal. Call `TerminalSignals.install()` first so ncurses leaves SIGWINCH
    /// to us.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        // Wide characters need a UTF-8 locale; without one ncurses drops them.
        setlocale(LC_ALL, "")
        if let ctype = setlocale(LC_CTYPE, nil), !String(cString: ctype).uppercased().contains("UTF") {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard let s = lt_newterm_std() else {
            throw TerminalError.cannotStart("ncurses does not know the terminal type TERM=\(String(cString: getenv("TERM") ?? strdup("(unset)")))")
        }
        screen = s
        _ = set_term(s)
        window = lt_stdscr()
        // Esc alone must not wait a second for a sequence that never comes.
        if getenv("ESCDELAY") == nil { set_escdelay(25) }
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        intrflush(window, false)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(lt_colors())
        }
        directColor = colors > 256
        depth = directColor ? .truecolor : ColorDepth(colors: colors)
        _ = mousemask(lt_button4_pressed() | lt_button5_pressed() | lt_button1_pressed(), nil)
        mouseinterval(0)
        var y: Int32 = 0, x: Int32 = 0
        lt_getmaxyx(window, &y, &x)
        width = Int(x)
        height = Int(y)
        defineKeys()
        writeRaw("\u{1B}[?2004h")   // bracketed paste: a paste arrives as one event
    }

    deinit { shutdown() }

    private func defineKeys() {
        let sequences: [(String, Int32, KeyEvent)] = [
            ("\u{1B}[200~", Custom.pasteStart, KeyEvent(.escape)), ("\u{1B}[201~", Custom.pasteEnd, KeyEvent(.escape)),
            ("\u{1B}[1;5D", Custom.ctrlLeft, KeyEvent(.left, .ctrl)), ("\u{1B}[1;5C", Custom.ctrlRight, KeyEvent(.right, .ctrl)),
            ("\u{1B}[1;5H", Custom.ctrlHome, KeyEvent(.home, .ctrl)), ("\u{1B}[1;5F", Custom.ctrlEnd, KeyEvent(.end, .ctrl)),
            ("\u{1B}[1;5A", Custom.ctrlUp, KeyEvent(.up, .ctrl)), ("\u{1B}[1;5B", Custom.ctrlDown, KeyEvent(.down, .ctrl)),
            ("\u{1B}[1;3D", Custom.altLeft, KeyEvent(.left, .alt)), ("\u{1B}[1;3C", Custom.altRight, KeyEvent(.right, .alt)),
            ("\u{1B}[Z", Custom.shiftTab, KeyEvent(.backTab)),
        ]
        for (seq, code, event) in sequences {
            // A sequence the terminal description already names keeps its meaning.
            if key_defined(seq) > 0 { continue }
            if define_key(seq, code) == lt_ok() { extraKeys[code] = event }
        }
        // Terminal descriptions that do name modified arrows (kLFT5...): map their codes.
        for (name, event) in [("kLFT5", KeyEvent(.left, .ctrl)), ("kRIT5", KeyEvent(.right, .ctrl)),
                              ("kHOM5", KeyEvent(.home, .ctrl)), ("kEND5", KeyEvent(.end, .ctrl)),
                              ("kLFT3", KeyEvent(.left, .alt)), ("kRIT3", KeyEvent(.right, .alt))] {
            if let s = tigetstr(name), Int(bitPattern: s) != -1, Int(bitPattern: s) != 0 {
                let c = key_defined(s)
                if c > 0 { extraKeys[c] = event }
            }
        }
    }

    public var size: (width: Int, height: Int) { (width, height) }

    /// Re-reads the terminal size after SIGWINCH and tells ncurses.
    public func refreshSize() -> (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            resize_term(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        var y: Int32 = 0, x: Int32 = 0
        lt_getmaxyx(window, &y, &x)
        width = Int(x)
        height = Int(y)
        previous = nil
        clearok(window, true)
        return (width, height)
    }

    public var inputFileDescriptor: Int32? { STDIN_FILENO }

    // MARK: output

    public func present(_ frame: ScreenBuffer) {
        guard !closed, let window else { return }
        let full = previous == nil || previous?.width != frame.width || previous?.height != frame.height
        let rows = min(frame.height, height), cols = min(frame.width, width)
        for y in 0..<rows {
            for x in 0..<cols {
                guard let cell = frame.cell(x, y), !cell.isContinuation else { continue }
                if !full, let old = previous?.cell(x, y), old == cell,
                   cell.width < 2 || previous?.cell(x + 1, y) == frame.cell(x + 1, y) { continue }
                // The bottom-right cell scrolls some terminals when written; skip it.
                if y == height - 1 && x + Int(cell.width) >= width && x == width - 1 { continue }
                draw(cell, x: x, y: y, window: window)
            }
        }
        if let c = frame.cursor, c.x >= 0, c.y >= 0, c.x < width, c.y < height {
            wmove(window, Int32(c.y), Int32(c.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
        previous = frame
    }

    private func draw(_ cell: Cell, x: Int, y: Int, window: UnsafeMutablePointer<WINDOW>) {
        var wch: [wchar_t] = []
        for s in cell.text.unicodeScalars.prefix(4) { wch.append(wchar_t(bitPattern: s.value)) }
        if wch.isEmpty { wch = [32] }
        wch.append(0)
        var cc = cchar_t()
        let pair = pairNumber(cell.style)
        _ = wch.withUnsafeBufferPointer { lt_setcchar(&cc, $0.baseAddress, attributes(cell.style.attributes), pair) }
        mvwadd_wch(window, Int32(y), Int32(x), &cc)
    }

    private func attributes(_ a: Attributes) -> attr_t {
        var out = lt_a_normal()
        if a.contains(.bold) { out |= lt_a_bold() }
        if a.contains(.dim) { out |= lt_a_dim() }
        if a.contains(.italic) { out |= lt_a_italic() }
        if a.contains(.underline) { out |= lt_a_underline() }
        if a.contains(.reverse) { out |= lt_a_reverse() }
        return out
    }

    /// The ncurses colour number of `c` on this terminal (-1 = the terminal's default).
    private func colorNumber(_ c: Color) -> Int32 {
        switch c.reduced(to: depth) {
        case .terminalDefault: return -1
        case .ansi(let n): return Int32(n)
        case .indexed(let n):
            if directColor {
                if n < 8 { return Int32(n) }
                let (r, g, b) = Color.paletteRGB(n)
                return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
            }
            return Int32(n)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    private func pairNumber(_ style: Style) -> Int32 {
        guard depth != .none else { return 0 }
        let fg = colorNumber(style.fg), bg = colorNumber(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let p = pairs[key] { return p }
        let next = Int32(pairs.count + 1)
        guard next < lt_color_pairs() else { return 0 }
        guard init_extended_pair(next, fg, bg) == lt_ok() else { return 0 }
        pairs[key] = next
        return next
    }

    private func writeRaw(_ s: String) {
        let bytes = Array(s.utf8)
        bytes.withUnsafeBufferPointer { p in _ = write(STDOUT_FILENO, p.baseAddress, p.count) }
    }

    public func copyToClipboard(_ text: String) {
        let seq = OSC52.sequence(for: text)
        // Inside tmux, wrap so tmux passes it on to the outer terminal as well.
        if getenv("TMUX") != nil {
            writeRaw("\u{1B}Ptmux;" + seq.replacingOccurrences(of: "\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\")
        }
        writeRaw(seq)
    }

    public func shutdown() {
        guard !closed else { return }
        closed = true
        writeRaw("\u{1B}[?2004l")
        _ = mousemask(0, nil)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        window = nil
    }

    // MARK: input

    public func readAvailableInput() -> [InputEvent] {
        guard !closed, let window else { return [] }
        var events: [InputEvent] = []
        var pendingEscape = false
        var budget = 65_536
        while budget > 0 {
            budget -= 1
            var ch: wint_t = 0
            let r = wget_wch(window, &ch)
            if r == lt_err() { break }
            let code = Int32(bitPattern: UInt32(ch))
            if r == lt_key_code_yes() {
                if code == Custom.pasteStart { pasteBuffer = ""; pendingEscape = false; continue }
                if code == Custom.pasteEnd {
                    if let p = pasteBuffer { events.append(.paste(p)) }
                    pasteBuffer = nil
                    continue
                }
                if pasteBuffer != nil { continue }
                if let e = functionKey(code, window: window) {
                    if case .key(let k) = e, pendingEscape { events.append(.key(KeyEvent(k.key, k.modifiers.union(.alt)))) } else { events.append(e) }
                }
                pendingEscape = false
                continue
            }
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { continue }
            if pasteBuffer != nil {
                pasteBuffer?.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                continue
            }
            if code == 27 {
                if pendingEscape { events.append(.key(KeyEvent(.escape))) }
                pendingEscape = true
                continue
            }
            var key = plainKey(code, scalar)
            if pendingEscape { key.modifiers.insert(.alt); pendingEscape = false }
            // Typed text: merge a run of plain characters with what came before into one key each.
            events.append(.key(key))
        }
        if pendingEscape { events.append(.key(KeyEvent(.escape))) }
        // LLAMATERM_KEYLOG=FILE records decoded input, to diagnose a terminal's key sequences.
        if let log = getenv("LLAMATERM_KEYLOG") {
            if let f = fopen(log, "a") { fputs("\(Date().timeIntervalSince1970) \(events)\n", f); fclose(f) }
        }
        return events
    }

    private func plainKey(_ code: Int32, _ scalar: Unicode.Scalar) -> KeyEvent {
        switch code {
        case 13: return KeyEvent(.enter)
        case 10: return .ctrl("j")
        case 9: return KeyEvent(.tab)
        case 127, 8: return KeyEvent(.backspace)
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code + 96))))
        case 28...31: return .ctrl(Character(Unicode.Scalar(UInt8(code + 64))))
        default: return KeyEvent(.char(Character(scalar)))
        }
    }

    private func functionKey(_ code: Int32, window: UnsafeMutablePointer<WINDOW>) -> InputEvent? {
        if let e = extraKeys[code] { return .key(e) }
        switch code {
        case KEY_UP: return .key(KeyEvent(.up))
        case KEY_DOWN: return .key(KeyEvent(.down))
        case KEY_LEFT: return .key(KeyEvent(.left))
        case KEY_RIGHT: return .key(KeyEvent(.right))
        case KEY_HOME: return .key(KeyEvent(.home))
        case KEY_END: return .key(KeyEvent(.end))
        case KEY_PPAGE: return .key(KeyEvent(.pageUp))
        case KEY_NPAGE: return .key(KeyEvent(.pageDown))
        case KEY_DC: return .key(KeyEvent(.delete))
        case KEY_IC: return .key(KeyEvent(.insert))
        case KEY_BACKSPACE: return .key(KeyEvent(.backspace))
        case KEY_ENTER: return .key(KeyEvent(.enter))
        case KEY_BTAB: return .key(KeyEvent(.backTab))
        case KEY_SLEFT: return .key(KeyEvent(.left, .shift))
        case KEY_SRIGHT: return .key(KeyEvent(.right, .shift))
        case KEY_RESIZE:
            let s = refreshSize()
            return .resize(width: s.width, height: s.height)
        case KEY_MOUSE:
            var ev = MEVENT()
            guard getmouse(&ev) == lt_ok() else { return nil }
            let x = Int(ev.x), y = Int(ev.y)
            if ev.bstate & lt_button4_pressed() != 0 { return .mouse(.wheelUp(x: x, y: y)) }
            if ev.bstate & lt_button5_pressed() != 0 { return .mouse(.wheelDown(x: x, y: y)) }
            if ev.bstate & lt_button1_pressed() != 0 { return .mouse(.click(x: x, y: y)) }
            return nil
        default:
            for n in 1...24 where code == lt_key_f(Int32(n)) {
                if n > 12 { return .key(KeyEvent(.function(n - 12), .shift)) }
                return .key(KeyEvent(.function(n)))
            }
            return nil
        }
    }
}
