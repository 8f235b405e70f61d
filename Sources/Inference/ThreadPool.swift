#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A persistent pool of worker threads that runs one data-parallel job at a time.
///
/// `forEachChunk` lets the participants (the calling thread is participant 0) claim numbered
/// chunks of work from a shared counter and returns when every chunk is done, whoever did it: a
/// worker the operating system has not scheduled yet (a busy machine) delays nothing, the others
/// take its share. Threads are created once, in `init`; a dispatch allocates nothing. Idle workers spin
/// briefly (dispatches come every few microseconds while a token is being computed) and then
/// sleep on a condition variable, so an idle engine costs no CPU.
public final class ThreadPool: @unchecked Sendable {
    /// Participants in each job, including the calling thread.
    public let threadCount: Int

    /// Bumped once per dispatch.
    private let generation = Atomic<Int>(0)
    /// The dispatch's claim word: the dispatch's generation in the high 32 bits (its low 32
    /// bits), the next unclaimed chunk in the low 32 bits.
    private let claim = Atomic<UInt64>(0)
    /// Chunks of the current dispatch, and how many are done.
    private let chunkTotal = Atomic<Int>(0)
    private let chunksDone = Atomic<Int>(0)
    /// The current job; read only by a participant holding a claimed, unfinished chunk
    /// (the dispatch cannot end, so the closure is alive and not being replaced).
    private nonisolated(unsafe) var chunkJob: ((Int, Int) -> Void)?
    private let stopping = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [Thread] = []
    private let exited = Atomic<Int>(0)
    private let started = Atomic<Int>(0)

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
        // A dispatch may finish before a worker ever runs; `deinit` must not come before
        // the workers hold their reference (an unowned read of a deinitializing pool traps).
        while started.load(ordering: .acquiring) < self.threadCount - 1 { sched_yield() }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        wake(generation: generation.load(ordering: .relaxed) + 1)
        // Wait for the workers to leave the loop before the state they use goes away.
        while exited.load(ordering: .acquiring) < threadCount - 1 { sched_yield() }
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// The number of CPUs the process may use.
    public static var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `body(participant, chunk)` for every chunk in `0..<chunks`, each exactly once, the
    /// participants claiming chunks one at a time; returns when all chunks are done. Not
    /// reentrant: call it from one thread at a time.
    public func forEachChunk(_ chunks: Int, _ body: (Int, Int) -> Void) {
        if chunks <= 0 { return }
        if threadCount == 1 || chunks == 1 {
            for c in 0..<chunks { body(0, c) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            chunkJob = escapable
            chunksDone.store(0, ordering: .relaxed)
            chunkTotal.store(chunks, ordering: .relaxed)
            let g = generation.load(ordering: .relaxed) + 1
            claim.store(Self.claimWord(generation: g, next: 0), ordering: .releasing)
            wake(generation: g)
            claimChunks(generation: g, participant: 0)
            var spins = 0
            while chunksDone.load(ordering: .acquiring) < chunks {
                spins += 1
                if spins > 10_000 { sched_yield() }
            }
            chunkJob = nil
        }
    }

    @inline(__always)
    private static func claimWord(generation g: Int, next: Int) -> UInt64 {
        (UInt64(truncatingIfNeeded: g) << 32) | UInt64(truncatingIfNeeded: next)
    }

    /// Publishes generation `g` and wakes sleeping workers.
    private func wake(generation g: Int) {
        pthread_mutex_lock(mutex)
        generation.store(g, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Claims and runs chunks of dispatch `g` until none is left (or `g` is over).
    private func claimChunks(generation g: Int, participant: Int) {
        let tag = UInt64(truncatingIfNeeded: g) << 32
        while true {
            let word = claim.load(ordering: .acquiring)
            guard word & 0xFFFF_FFFF_0000_0000 == tag else { return }
            let next = Int(word & 0xFFFF_FFFF)
            guard next < chunkTotal.load(ordering: .relaxed) else { return }
            let (exchanged, _) = claim.compareExchange(expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            guard exchanged else { continue }
            if let chunkJob { chunkJob(participant, next) }
            chunksDone.add(1, ordering: .releasing)
        }
    }

    /// Runs `body(range)` over `0..<count` in contiguous ranges (a multiple of `granularity` long,
    /// except the last), about four per participant, claimed as `forEachChunk` chunks.
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let units = (count + granularity - 1) / granularity
        if threadCount == 1 || units == 1 { body(0..<count); return }
        let chunks = min(units, 4 * threadCount)
        forEachChunk(chunks) { _, chunk in
            let r = Self.split(units, part: chunk, of: chunks)
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
        started.add(1, ordering: .releasing)
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
            claimChunks(generation: seen, participant: index)
        }
        exited.add(1, ordering: .releasing)
    }
}
