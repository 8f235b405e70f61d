/// The seam between the UI and a terminal: shows frames, reports input and size. Only
/// `NcursesBackend` talks to a real terminal; `InMemoryBackend` serves the tests.
public protocol TerminalBackend: AnyObject {
    /// The terminal's size in cells.
    var size: (width: Int, height: Int) { get }
    /// Shows `frame`, writing only what changed since the previous one.
    func present(_ frame: ScreenBuffer)
    /// Input that is ready now, without waiting (empty when there is none).
    func readAvailableInput() -> [InputEvent]
    /// The file descriptor that becomes readable when input is ready (for `poll`), or nil.
    var inputFileDescriptor: Int32? { get }
    /// Puts `text` on the clipboard of the terminal (OSC 52).
    func copyToClipboard(_ text: String)
    /// Gives the terminal back as it was.
    func shutdown()
}

/// The OSC 52 escape sequence that asks a terminal to put text on its clipboard.
public enum OSC52 {
    public static func sequence(for text: String) -> String {
        "\u{1B}]52;c;" + base64(Array(text.utf8)) + "\u{07}"
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out.append(table[n >> 18 & 63]); out.append(table[n >> 12 & 63])
            out.append(table[n >> 6 & 63]); out.append(table[n & 63])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = Int(bytes[i]) << 16
            out.append(table[n >> 18 & 63]); out.append(table[n >> 12 & 63]); out += "=="
        } else if rest == 2 {
            let n = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8
            out.append(table[n >> 18 & 63]); out.append(table[n >> 12 & 63]); out.append(table[n >> 6 & 63]); out += "="
        }
        return out
    }
}
