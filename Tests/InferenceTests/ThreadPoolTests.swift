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

    @Test func runGivesEachParticipantItsIndex() {
        let pool = ThreadPool(threadCount: 3)
        let seen = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        seen.initialize(repeating: 0, count: 3)
        defer { seen.deallocate() }
        pool.run { i, n in
            #expect(n == 3)
            seen[i] += 1
        }
        #expect((0..<3).map { seen[$0] } == [1, 1, 1])
    }

    @Test func survivesIdleSleepAndWakes() async throws {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        pool.parallelFor(10) { r in total.add(r.count, ordering: .relaxed) }
        try await Task.sleep(for: .milliseconds(300))  // workers go to sleep
        pool.parallelFor(10) { r in total.add(r.count, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 20)
    }
}
