import Foundation
import GGUF
import Tokenizers

/// A loaded model served one generation at a time. Requests made while another runs wait their
/// turn (in order). Generation runs on the engine's own serial queue and thread pool, never on the
/// caller's executor; cancelling the consuming task or dropping the stream stops it within one
/// token and leaves the engine ready for the next request (and its KV cache reusable).
public actor InferenceEngine: Backend {
    /// The model's hyperparameters.
    public nonisolated let config: LlamaConfig
    /// The model's tokenizer.
    public nonisolated let tokenizer: Tokenizer
    /// The model file's name and size.
    public nonisolated let modelFileName: String
    public nonisolated let modelFileSize: Int
    /// The most tokens prompt plus reply may hold.
    public nonisolated let contextLength: Int
    /// Threads used by the forward pass.
    public nonisolated let threadCount: Int

    /// The most bytes the KV states kept in memory besides the live cache may take.
    public nonisolated let kvMemoryLimit: Int
    /// Where KV states are saved between runs (nil: they are not).
    public nonisolated let kvDisk: KVDiskSettings?

    private nonisolated let session: InferenceSession
    private nonisolated let states: KVStateStore
    private nonisolated let queue = DispatchQueue(label: "llamaterm.inference", qos: .userInitiated)

    /// Loads the model at `path`. `contextLength` defaults to the model's (after RoPE scaling),
    /// capped at 8192 to bound memory; `threads` defaults to every core. `kvMemory` bounds the KV
    /// states kept in memory for other prompts (default: a quarter of the free memory; 0 keeps
    /// only the live cache); `kvDisk`, when given, saves each completed reply's state there and
    /// resumes from it.
    public init(modelPath: String, contextLength: Int? = nil, threads: Int? = nil, ropeScale: Float? = nil,
                kvMemory: Int? = nil, kvDisk: KVDiskSettings? = nil) throws {
        let model = try LlamaModel(path: modelPath, ropeScale: ropeScale)
        let tokenizer = try Tokenizer(metadata: model.file.metadata)
        let ctx = contextLength ?? min(model.config.scaledContextLength, 8192)
        let session = try InferenceSession(model: model, contextLength: ctx, threads: threads)
        self.session = session
        kvMemoryLimit = max(0, kvMemory ?? Self.defaultKVMemory)
        self.kvDisk = kvDisk
        let disk = kvDisk.map {
            KVDiskCache(settings: $0, identity: KVStateIdentity(model: model, contextLength: ctx), modelLabel: model.fileName)
        }
        states = KVStateStore(memoryLimit: kvMemoryLimit, disk: disk)
        self.config = model.config
        self.tokenizer = tokenizer
        modelFileName = model.fileName
        modelFileSize = model.fileSize
        self.contextLength = ctx
        threadCount = session.pool.threadCount
    }

    /// Streams the continuation of `prompt`: `.text` events, then `.finished`.
    public nonisolated func generate(prompt: [TokenID], parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let flag = CancellationFlag()
        continuation.onTermination = { _ in flag.cancel() }
        let generator = Generator(session: session, tokenizer: tokenizer, states: states)
        let states = self.states, session = self.session
        queue.async {
            if flag.isCancelled { continuation.finish(); return }
            do {
                let stats = try generator.run(prompt: prompt, parameters: parameters, cancel: flag) { continuation.yield($0) }
                continuation.finish()
                // The reply is complete: its state goes to disk (the next request waits for it).
                if stats.stopReason != .cancelled { states.persist(session) }
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// Generates and collects everything: the text, the generated ids and the statistics.
    public nonisolated func complete(prompt: [TokenID], parameters: GenerationParameters) async throws -> (text: String, tokens: [TokenID], stats: GenerationStats) {
        var text = "", tokens: [TokenID] = [], stats: GenerationStats?
        for try await event in generate(prompt: prompt, parameters: parameters) {
            switch event {
            case .prefilling: break
            case .text(let t): text += t
            case .finished(let s): stats = s; tokens = s.tokenIDs
            }
        }
        guard let stats else { throw CancellationError() }
        return (text, tokens, stats)
    }

    /// The token ids the KV cache holds (what a next request can reuse).
    public func cachedTokens() async -> [TokenID] {
        await withCheckedContinuation { c in queue.async { c.resume(returning: self.session.cache.tokens) } }
    }

    /// Forgets the KV cache and the states kept in memory (saved files stay).
    public func resetCache() async {
        await withCheckedContinuation { c in
            queue.async { self.session.cache.clear(); self.states.removeAllFromMemory(); c.resume() }
        }
    }

    /// Saves the live KV state to disk if it is not saved yet (on quit: a stopped reply's state
    /// too), after any generation still running; returns lines for the user (a save that failed,
    /// files rejected since the last request).
    public func saveState() async -> [String] {
        await withCheckedContinuation { c in
            queue.async {
                self.states.persist(self.session)
                c.resume(returning: self.states.takeNotes())
            }
        }
    }

    /// The state files in `directory` (every model), newest first.
    public static func savedStates(directory: String) -> [KVStateListing] { KVDiskCache.list(directory: directory) }

    /// Removes every state file in `directory`; returns how many and their bytes.
    @discardableResult
    public static func removeSavedStates(directory: String) -> (files: Int, bytes: Int) { KVDiskCache.clear(directory: directory) }

    /// A quarter of the memory available now (`MemAvailable`), or of the physical memory.
    public static var defaultKVMemory: Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kb * 1024 / 4
        }
        return Int(ProcessInfo.processInfo.physicalMemory / 4)
    }
}
