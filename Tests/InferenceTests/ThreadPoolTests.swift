import Synchronization
import Testing
@testable import Inference

@Suite struct ThreadPoolTests {
    @Test func splitCoversEverythingOnce() {
        for count in [0, 1, 5, 17, 100] {
            for parts in 1...5 {
                var covered: [Int] = []
                for p in 0..<parts { covered += Array(ThreadPool.split(count, part: p, of: parts)) }
                #expect(covered == Array(0..<count))
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func parallelForVisitsEveryIndexOnceManyTimes(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        let n = 1000
        let buffer = UnsafeMutablePointer<Int>.allocate(capacity: n)
        buffer.initialize(repeating: 0, count: n)
        defer { buffer.deallocate() }
        for _ in 0..<2000 {
            pool.parallelFor(n, granularity: 16) { range in
                for i in range { buffer[i] += 1 }
            }
        }
        #expect((0..<n).allSatisfy { buffer[$0] == 2000 })
    }

    @Test func chunksRunOnceEachWithParticipantIndicesInRange() {
        let pool = ThreadPool(threadCount: 3)
        let chunks = 64
        let seen = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        seen.initialize(repeating: -1, count: chunks)
        defer { seen.deallocate() }
        pool.forEachChunk(chunks) { part, c in
            #expect(seen[c] == -1)
            seen[c] = part
        }
        #expect((0..<chunks).allSatisfy { (0..<3).contains(seen[$0]) })
    }

    @Test func survivesIdleSleepAndWakes() async throws {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(10) { r in total.add(r.count, ordering: .relaxed) }
        try await Task.sleep(for: .milliseconds(300))  // workers go to sleep
        pool.parallelFor(10) { r in total.add(r.count, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 20)
    }

    /// Thousands of dispatches in a row with more threads than cores (workers are often
    /// descheduled and arrive after the others took their chunks, or a whole dispatch late): every
    /// chunk runs exactly once per dispatch and nothing runs after its dispatch returned (the
    /// counts are checked right after each call).
    @Test(arguments: [2, 5])
    func lateWorkersNeverRunAChunkTwiceOrLate(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        let chunks = 37
        let counts = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: chunks)
        for i in 0..<chunks { (counts + i).initialize(to: Atomic<Int>(0)) }
        defer { counts.deinitialize(count: chunks); counts.deallocate() }
        var failures = 0
        for round in 1...3000 {
            pool.forEachChunk(chunks) { part, c in
                #expect(part >= 0 && part < threads)
                counts[c].add(1, ordering: .relaxed)
            }
            if (0..<chunks).contains(where: { counts[$0].load(ordering: .relaxed) != round }) { failures += 1 }
        }
        #expect(failures == 0)
    }
}
