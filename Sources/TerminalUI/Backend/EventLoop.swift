import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A thread-safe queue of actions for the UI loop. Background tasks (the engine's stream, the
/// store) post here; posting wakes the loop through a pipe, so the loop sleeps in `poll` with no
/// timeout and uses no CPU while idle.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Action] = []
    /// The read end: readable when actions are waiting.
    public let readFD: Int32
    private let writeFD: Int32

    public init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.system(call: "pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Queues `action` and wakes the loop (from any thread).
    public func post(_ action: Action) {
        lock.lock()
        let wasEmpty = queue.isEmpty
        queue.append(action)
        lock.unlock()
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
        }
    }

    /// Takes every queued action.
    public func take() -> [Action] {
        var sink = [UInt8](repeating: 0, count: 256)
        while read(readFD, &sink, sink.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let out = queue
        queue = []
        return out
    }
}

/// Runs the UI: waits for input, signals or posted actions, reduces them into the state, hands
/// effects to `perform`, and draws one frame per batch. Runs on the calling thread until the
/// state stops running.
public final class EventLoop {
    public private(set) var state: AppState
    public var theme: Theme
    public let mailbox: Mailbox
    private let backend: TerminalBackend
    private let signalFD: Int32?
    /// Runs an effect the loop does not handle itself (the app's engine and store). Called on
    /// the loop's thread; long work must go to a task that posts actions back.
    private let perform: (Effect) -> Void
    /// Resolves a theme name for `Effect.setTheme`.
    public var themeResolver: ((String) throws -> Theme)?
    /// Frames drawn so far (for tests and diagnostics).
    public private(set) var framesDrawn = 0

    public init(state: AppState, theme: Theme, backend: TerminalBackend, mailbox: Mailbox, signalFD: Int32?,
                perform: @escaping (Effect) -> Void) {
        self.state = state
        self.theme = theme
        self.backend = backend
        self.mailbox = mailbox
        self.signalFD = signalFD
        self.perform = perform
        let size = backend.size
        self.state.width = size.width
        self.state.height = size.height
    }

    /// Applies one action now (also used by tests to drive the loop without a terminal).
    public func dispatch(_ action: Action) {
        let effects = reduce(&state, action)
        for effect in effects { run(effect) }
    }

    private func run(_ effect: Effect) {
        switch effect {
        case .copyToClipboard(let text):
            backend.copyToClipboard(text)
            perform(effect)
        case .setTheme(let name):
            do {
                if let resolve = themeResolver { theme = try resolve(name); state.themeName = name }
            } catch {
                _ = reduce(&state, .notice(String(describing: error), isError: true))
            }
        default:
            perform(effect)
        }
    }

    /// Draws the current state.
    public func render() {
        backend.present(AppView.render(state, theme: theme))
        framesDrawn += 1
    }

    /// Loops until the state stops running. Blocks in `poll` between events.
    public func run() {
        render()
        var fds: [pollfd] = []
        if let fd = backend.inputFileDescriptor { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        fds.append(pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0))
        if let s = signalFD { fds.append(pollfd(fd: s, events: Int16(POLLIN), revents: 0)) }
        // ncurses may hold the start of an escape sequence (Esc, Alt-key) in its own buffer, where
        // poll cannot see it: when the terminal was readable but gave no event, look again shortly
        // (a few times at most, then sleep until the next input as usual).
        var retries = 0
        while state.running {
            for i in fds.indices { fds[i].revents = 0 }
            let ready = poll(&fds, nfds_t(fds.count), retries > 0 ? 30 : -1)
            if ready < 0 && errno != EINTR { break }
            let inputReadable = backend.inputFileDescriptor != nil && fds[0].revents & Int16(POLLIN) != 0
            var changed = false
            if let s = signalFD {
                var bytes = [UInt8](repeating: 0, count: 64)
                var n = 0
                repeat {
                    n = read(s, &bytes, bytes.count)
                    for b in bytes.prefix(max(0, n)) {
                        switch Int32(b) {
                        case SIGWINCH:
                            if let nb = backend as? NcursesBackend {
                                let size = nb.refreshSize()
                                dispatch(.resize(width: size.width, height: size.height))
                                changed = true
                            }
                        case SIGINT, SIGTERM, SIGHUP:
                            if state.generation.isBusy { perform(.stopGeneration) }
                            state.running = false
                            perform(.quit)
                        default: break
                        }
                    }
                } while n > 0
            }
            let events = backend.readAvailableInput()
            for event in events {
                dispatch(.input(event))
                changed = true
            }
            if !events.isEmpty { retries = 0 } else if inputReadable { retries = 3 } else if retries > 0 { retries -= 1 }
            for action in mailbox.take() {
                dispatch(action)
                changed = true
            }
            if changed && state.running { render() }
        }
    }
}
