import Foundation

/// One generation at a time, first come first served. Connection threads wait their turn here
/// (blocking); when more than `limit` requests wait, new ones are turned away.
final class GenerationQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var nextTicket = 0
    private var serving = 0
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Requests waiting or running.
    var pending: Int { condition.lock(); defer { condition.unlock() }; return nextTicket - serving }

    /// Waits for this request's turn; nil (at once) when the queue is full.
    func enter() -> Ticket? {
        condition.lock(); defer { condition.unlock() }
        if nextTicket - serving > limit { return nil }
        let mine = nextTicket
        nextTicket += 1
        while serving != mine { condition.wait() }
        return Ticket(queue: self)
    }

    fileprivate func leave() {
        condition.lock()
        serving += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The turn; `done()` passes it on (exactly once).
    final class Ticket: @unchecked Sendable {
        private var queue: GenerationQueue?
        fileprivate init(queue: GenerationQueue) { self.queue = queue }
        func done() { queue?.leave(); queue = nil }
        deinit { queue?.leave() }
    }
}

/// Hands values from an async producer to a blocking consumer thread.
final class BlockingChannel<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [T] = []
    private var closed = false

    func put(_ item: T) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next value; nil once closed and drained.
    func take() -> T? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        return items.isEmpty ? nil : items.removeFirst()
    }
}
