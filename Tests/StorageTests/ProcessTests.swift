import Foundation
@testable import Storage
import Testing
import TestSupport

/// Tests with several writers on one file and a process killed mid-reply. Serialized: they are
/// the heavy ones, and they start processes.
@Suite("Concurrent writers and crashes", .serialized)
struct ProcessTests {
    @Test("two independent pools on separate threads append to one conversation: no error, no lost row")
    func twoPoolsOneFile() throws {
        let t = try TempStore("two-pools")
        let c = try t.store.createConversation(NewConversation())
        let perWriter = 300
        nonisolated(unsafe) var failures: [String] = []
        let lock = NSLock()
        let group = DispatchGroup()
        for writer in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let store = try SQLiteConversationStore(path: t.path)
                    for i in 0..<perWriter {
                        _ = try store.appendMessage(to: c.id, NewMessage(role: .user, content: "writer \(writer) row \(i)"))
                        if i % 50 == 0 { _ = try store.listConversations(ConversationListQuery()) }
                    }
                } catch {
                    lock.lock(); failures.append("\(error)"); lock.unlock()
                }
            }
        }
        group.wait()
        #expect(failures.isEmpty, "\(failures)")
        let messages = try t.store.conversation(c.id).messages
        #expect(messages.count == 2 * perWriter)
        #expect(messages.map(\.position) == Array(0..<(2 * perWriter)))
        for writer in 0..<2 {
            let mine = messages.filter { $0.content.hasPrefix("writer \(writer) ") }.map(\.content)
            #expect(mine == (0..<perWriter).map { "writer \(writer) row \($0)" }, "each writer's rows, in its order")
        }
        #expect(try t.store.diagnosticQuery("PRAGMA integrity_check") == ["ok"])
    }

    @Test("several `llamaterm history import` processes at once on a new file: every conversation lands")
    func concurrentImportProcesses() throws {
        let t = try TempStore("import-procs")
        let sample = try makeSampleConversation(t.store, title: "shared")
        let file = t.folder.appendingPathComponent("sample.json")
        try Data(try ConversationExporter.json(sample).utf8).write(to: file)
        let target = t.folder.appendingPathComponent("fresh/target.sqlite").path
        let processes = 4, filesEach = 6
        let results = try runConcurrently(processes) { _ in
            try runLlamaterm(["history", "import", "--db", target] + Array(repeating: file.path, count: filesEach))
        }
        for r in results { #expect(r.status == 0, "\(r.stderr)") }
        let store = try SQLiteConversationStore(path: target)
        #expect(try store.conversationCount(includeArchived: true) == processes * filesEach)
        #expect(try store.diagnosticQuery("SELECT count(*) FROM message") == ["\(processes * filesEach * sample.messages.count)"])
        #expect(try store.diagnosticQuery("PRAGMA integrity_check") == ["ok"])
    }

    @Test("two streaming processes write the same file at once: both replies complete")
    func concurrentStreams() throws {
        let t = try TempStore("stream-procs")
        let results = try runConcurrently(2) { _ in
            try runLlamaterm(["history", "_stream-test", "--db", t.path, "--chars", "3000", "--chunk", "10",
                              "--delay-ms", "2", "--interval-ms", "20"])
        }
        for r in results { #expect(r.status == 0 && r.stdout.contains("done 3000"), "\(r.stderr)") }
        let list = try t.store.listConversations(ConversationListQuery())
        #expect(list.count == 2)
        for summary in list {
            let reply = try t.store.conversation(summary.id).messages[1]
            #expect(reply.status == .complete && reply.content == streamText(3000))
        }
    }

    @Test("SIGKILL mid-reply: the file opens cleanly and holds the partial reply up to ~0.5 s before the kill")
    func killMidReply() throws {
        let t = try TempStore("kill")
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["history", "_stream-test", "--db", t.path, "--chars", "1000000", "--chunk", "7",
                             "--delay-ms", "3"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        // Progress lines with the time each was read.
        let log = ProgressLog()
        try process.run()
        let reader = Thread {
            var buffer = Data()
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let nl = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[buffer.startIndex..<nl], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...nl)
                    if line.hasPrefix("written "), let n = Int(line.dropFirst(8)) { log.record(n) }
                }
            }
        }
        reader.start()
        // Let it stream for a while (at least 1.5 s after the first piece).
        let deadline = Date().addingTimeInterval(30)
        while log.firstSeen == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        try #require(log.firstSeen != nil, "the child never started streaming")
        Thread.sleep(forTimeInterval: 1.7)
        let killedAt = Date()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // What the child had written by half a second before the kill must be on disk.
        let mustHave = log.lastCount(before: killedAt.addingTimeInterval(-0.5))
        #expect(mustHave > 0)

        let store = try SQLiteConversationStore(path: t.path)
        #expect(try store.diagnosticQuery("PRAGMA integrity_check") == ["ok"])
        let summary = try #require(try store.listConversations(ConversationListQuery()).first)
        let messages = try store.conversation(summary.id).messages
        #expect(messages.count == 2 && messages[0].role == .user && messages[0].status == .complete)
        let reply = messages[1]
        #expect(reply.status == .partial)
        #expect(reply.content.count >= mustHave, "saved \(reply.content.count) chars, had written \(mustHave) by 0.5 s before the kill")
        #expect(reply.content == streamText(reply.content.count), "the saved text is exactly what was streamed")
        // The next start sees it marked as partial, through the command line too.
        let shown = try runLlamaterm(["history", "show", "\(summary.id)", "--db", t.path])
        #expect(shown.status == 0 && shown.stdout.contains("## Assistant · ") && shown.stdout.contains(" · partial"))
    }
}

/// The `_stream-test` child's text: character i is `alphabet[i % 37]`.
func streamText(_ count: Int) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 ")
    return String((0..<count).map { alphabet[$0 % alphabet.count] })
}

/// Runs `count` copies of `body` on separate threads at once and returns their results.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) throws -> ProcessResult) throws -> [ProcessResult] {
    nonisolated(unsafe) var results = [ProcessResult?](repeating: nil, count: count)
    nonisolated(unsafe) var errors: [Error] = []
    let lock = NSLock()
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            do {
                let r = try body(i)
                lock.lock(); results[i] = r; lock.unlock()
            } catch {
                lock.lock(); errors.append(error); lock.unlock()
            }
        }
    }
    group.wait()
    if let first = errors.first { throw first }
    return results.compactMap { $0 }
}

/// (time read, characters written) pairs from the streaming child, thread-safe.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Date, Int)] = []

    func record(_ n: Int) {
        lock.lock(); entries.append((Date(), n)); lock.unlock()
    }

    var firstSeen: Date? {
        lock.lock(); defer { lock.unlock() }
        return entries.first?.0
    }

    /// The largest count reported at or before `time`.
    func lastCount(before time: Date) -> Int {
        lock.lock(); defer { lock.unlock() }
        return entries.last { $0.0 <= time }?.1 ?? 0
    }
}
