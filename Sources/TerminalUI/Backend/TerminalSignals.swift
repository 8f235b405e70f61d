#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals turned into bytes on a pipe, so the event loop sleeping in `poll` wakes for them
/// (the self-pipe trick; a handler may only do async-signal-safe things such as `write`). Fatal
/// signals restore the terminal before the process dies.
public enum TerminalSignals {
    nonisolated(unsafe) static var writeFD: Int32 = -1
    nonisolated(unsafe) static var savedTermios = termios()
    nonisolated(unsafe) static var haveSavedTermios = false

    /// The escape sequences that undo what the UI turned on: bracketed paste, mouse reporting,
    /// the alternate screen, a hidden cursor, colours.
    static let restoreSequence: [UInt8] = Array("\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n".utf8)

    /// Installs the handlers; the read end of the returned pipe becomes readable on SIGWINCH,
    /// SIGINT, SIGTERM and SIGHUP (one byte per signal: its number).
    public static func install() throws -> Int32 {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        writeFD = fds[1]
        if tcgetattr(STDIN_FILENO, &savedTermios) == 0 { haveSavedTermios = true }
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(TerminalSignals.writeFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                TerminalSignals.restoreTerminalFromSignal()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
        _ = signal(SIGPIPE, SIG_IGN)
        return fds[0]
    }

    /// Async-signal-safe: puts the terminal back as it was (used when the process is dying).
    static func restoreTerminalFromSignal() {
        restoreSequence.withUnsafeBufferPointer { p in _ = write(STDOUT_FILENO, p.baseAddress, p.count) }
        if haveSavedTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
    }

    /// Default handlers again (after the UI has closed).
    public static func uninstall() {
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig, SIG_DFL)
        }
    }
}

/// Errors of the terminal layer.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    case system(call: String, errno: Int32)
    case notATerminal
    case cannotStart(String)

    public var description: String {
        switch self {
        case .system(let call, let e): return "\(call) failed: \(String(cString: strerror(e)))"
        case .notATerminal: return "the terminal UI needs a terminal (standard input and output are not one); use a subcommand such as `llamaterm prompt` for scripts"
        case .cannotStart(let why): return "cannot start the terminal UI: \(why)"
        }
    }
}
