import Foundation

/// The width of the terminal standard output writes to, or nil when it is not a terminal.
enum TerminalWidth {
    static func ofStandardOutput() -> Int? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 80
    }

    /// True when standard error is a terminal (progress lines go there).
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
