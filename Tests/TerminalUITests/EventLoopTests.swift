import Foundation
import Testing
@testable import TerminalUI

/// Effects recorded from the loop's thread.
final class EffectLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Effect] = []
    func append(_ e: Effect) { lock.lock(); items.append(e); lock.unlock() }
    var all: [Effect] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct EventLoopTests {
    /// Actions posted from another thread wake the loop (blocked in poll), which draws them;
    /// Ctrl-Q ends it and the effects reached the performer in order.
    @Test func postedActionsWakeTheLoopAndQuitEndsIt() throws {
        let backend = InMemoryBackend(width: 80, height: 24)
        let mailbox = try Mailbox()
        let log = EffectLog()
        let loop = EventLoop(state: AppState(), theme: .dark, backend: backend, mailbox: mailbox, signalFD: nil) { log.append($0) }
        let done = DispatchSemaphore(value: 0)
        let box = UncheckedBox(loop)
        Thread { box.value.run(); done.signal() }.start()
        for c in "hi" { mailbox.post(.input(.key(.char(c)))) }
        mailbox.post(.input(.key(KeyEvent(.enter))))
        Thread.sleep(forTimeInterval: 0.05)
        mailbox.post(.replyDelta("Hello from the engine"))
        mailbox.post(.replyFinished(ReplyStats(tokens: 4, tokensPerSecond: 20)))
        mailbox.post(.input(.key(.ctrl("y"))))
        Thread.sleep(forTimeInterval: 0.1)
        let screen = backend.screenText()
        mailbox.post(.input(.key(.ctrl("q"))))
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(log.all == [.send("hi"), .copyToClipboard("Hello from the engine"), .quit])
        #expect(backend.clipboard == ["Hello from the engine"])
        #expect(screen.contains("Hello from the engine"))
        #expect(screen.contains("4 tok · 20.0 tok/s"))
        #expect(loop.framesDrawn >= 2)
    }

    @Test func resizeEventsRelayout() throws {
        let backend = InMemoryBackend(width: 80, height: 24)
        let loop = EventLoop(state: AppState(), theme: .dark, backend: backend, mailbox: try Mailbox(), signalFD: nil) { _ in }
        loop.render()
        loop.dispatch(.input(.resize(width: 30, height: 6)))
        loop.render()
        #expect(backend.screenText().contains("Terminal too small"))
        loop.dispatch(.input(.resize(width: 100, height: 30)))
        loop.render()
        #expect(backend.frame.width == 100)
        #expect(!backend.screenText().contains("too small"))
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
