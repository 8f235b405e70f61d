import Foundation
import GGUF
import Remote
import Server
import TestSupport
import Tokenizers

/// The real tokenizer of the default model (SmolLM2), loaded once.
let defaultTokenizer: Tokenizer? = {
    guard let file = try? GGUFFile(path: TestPaths.defaultModel.path) else { return nil }
    return try? Tokenizer(metadata: file.metadata)
}()

/// A deterministic generator at the server's seam: it answers "Echo: " followed by the prompt's
/// last tokens as text, one token per piece, and records how many generations overlap.
final class EchoGenerator: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var maxRunning = 0
    private(set) var cancelled = 0
    private(set) var calls: [(prompt: [TokenID], parameters: RemoteParameters)] = []
    /// Seconds between pieces.
    let delay: Double

    init(delay: Double = 0.005) { self.delay = delay }

    /// The reply for a prompt of `ids` with at most `limit` pieces (what the server should send).
    static func reply(_ ids: [TokenID], tokenizer: Tokenizer, limit: Int) -> (pieces: [String], finish: String) {
        let tail = ids.suffix(6).filter { !tokenizer.isControl($0) }
        let all = ["Echo:"] + tail.map { tokenizer.decode([$0]) } + ["."]
        return (Array(all.prefix(limit)), all.count > limit ? "length" : "eos_token")
    }

    func model(_ tokenizer: Tokenizer, context: Int = 2048) -> ServedModel {
        ServedModel(name: "echo-test", contextLength: context,
                    tokenize: { tokenizer.serverTokenize($0, addSpecial: $1) },
                    piece: { tokenizer.decode([$0]) }, eos: tokenizer.eos) { [self] ids, parameters in
            lock.lock(); calls.append((ids, parameters)); lock.unlock()
            let (pieces, finish) = Self.reply(ids, tokenizer: tokenizer, limit: parameters.maxNewTokens)
            return AsyncThrowingStream { continuation in
                let task = Task {
                    self.enter()
                    defer { self.leave() }
                    for p in pieces {
                        do { try await Task.sleep(for: .seconds(self.delay)) } catch {
                            self.noteCancel(); continuation.finish(throwing: error); return
                        }
                        continuation.yield(.text(p))
                    }
                    continuation.yield(.finished(RemoteFinish(reason: finish, generatedTokens: pieces.count)))
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }

    private func enter() { lock.lock(); running += 1; maxRunning = max(maxRunning, running); lock.unlock() }
    private func leave() { lock.lock(); running -= 1; lock.unlock() }
    private func noteCancel() { lock.lock(); cancelled += 1; lock.unlock() }
    var cancelCount: Int { lock.lock(); defer { lock.unlock() }; return cancelled }
}

/// Runs blocking socket work on its own thread (never on the cooperative pool, whose threads the
/// server's generation tasks need).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        Thread { c.resume(with: Result { try work() }) }.start()
    }
}

/// One request to a server with our client, returning status and body text.
func request(_ port: Int, _ method: String, _ path: String, _ body: String = "") async throws -> (Int, String) {
    try await offPool { try blockingRequest(port, method, path, body) }
}

func blockingRequest(_ port: Int, _ method: String, _ path: String, _ body: String = "") throws -> (Int, String) {
    let ex = HTTPExchange(url: try ServerURL(parsing: "http://127.0.0.1:\(port)"), timeouts: RemoteTimeouts(connect: 2, firstByte: 10, betweenTokens: 10))
    defer { ex.close() }
    var (head, reader) = try ex.send(method: method, path: path, body: Array(body.utf8))
    let all = try ex.readAll(&reader, path: path)
    return (head.status, String(decoding: all, as: UTF8.self))
}

func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
