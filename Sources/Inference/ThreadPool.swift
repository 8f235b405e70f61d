#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A persistent pool of worker threads that runs one data-parallel job at a time.
///
/// `run` hands the same closure to every participant (the calling thread is participant 0) and
/// returns when all have finished. Threads are created once, in `init`; a dispatch allocates
/// nothing. Idle workers spin briefly (dispatches come every few microseconds while a token is
/// being computed) and then sleep on a condition variable, so an idle engine costs no CPU.
public final class ThreadPool: @unchecked Sendable {
    /// Participants in each job, including the calling thread.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [Thread] = []
    private let exited = Atomic<Int>(0)
    /// The current job; only read by workers between a `generation` bump and their `finished` add.
    private nonisolated(unsafe) var job: ((Int, Int) -> Void)?

    /// Spin iterations before an idle worker goes to sleep.
    private static let spinLimit = 200_000

    /// Creates a pool of `threadCount` participants (`threadCount - 1` new threads).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for index in 1..<self.threadCount {
            let t = Thread { [unowned self] in self.workerLoop(index: index) }
            t.stackSize = 1 << 20
            t.name = "llamaterm-worker-\(index)"
            threads.append(t)
            t.start()
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        // Wait for the workers to leave the loop before the state they use goes away.
        while exited.load(ordering: .acquiring) < threadCount - 1 { sched_yield() }
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// The number of CPUs the process may use.
    public static var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body(participant, participantCount)` on every participant and waits for all of them.
    /// Not reentrant: call it from one thread at a time.
    public func run(_ body: (Int, Int) -> Void) {
        let n = threadCount
        if n == 1 { body(0, 1); return }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            finished.store(0, ordering: .relaxed)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
            escapable(0, n)
            var spins = 0
            while finished.load(ordering: .acquiring) < n - 1 {
                spins += 1
                if spins > 10_000 { sched_yield() }
            }
            job = nil
        }
    }

    /// Runs `body(range)` over `0..<count` split into contiguous parts, one per participant, each
    /// part a multiple of `granularity` (except the last).
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let units = (count + granularity - 1) / granularity
        if threadCount == 1 || units == 1 { body(0..<count); return }
        run { index, n in
            let r = Self.split(units, part: index, of: n)
            let lo = min(r.lowerBound * granularity, count), hi = min(r.upperBound * granularity, count)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// The `part`-th of `parts` near-equal contiguous slices of `0..<count`.
    @inline(__always)
    public static func split(_ count: Int, part: Int, of parts: Int) -> Range<Int> {
        let base = count / parts, extra = count % parts
        let lo = part * base + min(part, extra)
        return lo..<(lo + base + (part < extra ? 1 : 0))
    }

    private func workerLoop(index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > Self.spinLimit {
                    pthread_mutex_lock(mutex)
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                    pthread_mutex_unlock(mutex)
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { break }
            if let job { job(index, threadCount) }
            finished.add(1, ordering: .releasing)
        }
        exited.add(1, ordering: .releasing)
    }
}
