import CKernels
import Foundation
import GGUF
import Testing
import TestSupport
import Tokenizers
@testable import Inference

/// The KV states kept besides the live cache: the token trie, the in-memory pool, the state files
/// (round trip, every kind of damage and mismatch, the size limit, concurrent writers), and the
/// engine's choice among them — always giving the reply a full evaluation gives. The tiny models
/// are Q8_0, which takes the llama.cpp-matching pass: its bits do not depend on how a prompt is
/// split into passes, so a resumed reply must equal a fully evaluated one exactly.
@Suite(.serialized) struct KVStateTests {
    static let directory: URL = (try? TestPaths.temporaryDirectory("kvstate")) ?? FileManager.default.temporaryDirectory
    /// A prompt of 40 tokens and another sharing its first 12.
    static let prompt: [TokenID] = [1] + (0..<39).map { TokenID(300 + ($0 * 37) % 2000) }
    static let variant: [TokenID] = Array(prompt.prefix(12)) + (0..<30).map { TokenID(2500 + $0 * 11) }

    /// One request's reply, statistics, prefill report, and the notes of saving its state.
    struct Run { var tokens: [TokenID]; var stats: GenerationStats; var report: PrefillReport; var saveNotes: [String] }

    /// Runs one request and waits until its state is saved (the engine saves after the stream
    /// ends; `saveState` runs after that on the engine's queue, as on quit).
    static func run(_ engine: InferenceEngine, _ prompt: [TokenID], tokens: Int = 6) async throws -> Run {
        var report: PrefillReport?, stats: GenerationStats?
        for try await e in engine.generate(prompt: prompt, parameters: .greedy(maxTokens: tokens)) {
            switch e {
            case .prefilling(let r): report = r
            case .text: break
            case .finished(let s): stats = s
            }
        }
        let notes = await engine.saveState()
        return Run(tokens: stats!.tokenIDs, stats: stats!, report: report!, saveNotes: notes)
    }

    static func freshFolder(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        return url.path
    }

    static func stateFiles(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".kv") }.sorted()
    }

    // MARK: pieces

    @Test func trieFindsTheLongestSharedPrefixAndForgets() {
        var trie = TokenTrie()
        trie.insert([1, 2, 3, 4], entry: 0)
        trie.insert([1, 2, 9], entry: 1)
        trie.insert([5], entry: 2)
        #expect(trie.longestPrefix(of: [1, 2, 3, 4, 5]) == (4, [0]))
        #expect(trie.longestPrefix(of: [1, 2, 7]).length == 2)
        #expect(trie.longestPrefix(of: [1, 2, 7]).entries == [0, 1])
        #expect(trie.longestPrefix(of: [7]).length == 0)
        #expect(Set(trie.entries(endingAlong: [1, 2, 9, 9])) == [1])
        #expect(Set(trie.entries(endingAlong: [5])) == [2])
        trie.remove([1, 2, 3, 4], entry: 0)
        #expect(trie.longestPrefix(of: [1, 2, 3, 4]).length == 2)
        #expect(trie.longestPrefix(of: [1, 2, 3, 4]).entries == [1])
        trie.remove([1, 2, 9], entry: 1)
        #expect(trie.longestPrefix(of: [1, 2]).length == 0)
        #expect(trie.longestPrefix(of: [5, 1]) == (1, [2]))
    }

    @Test func checksumStreamsAndMatchesItsScalarReference() {
        var rng = RandomSource(seed: 3)
        let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for count in [0, 1, 7, 63, 64, 65, 200, 4999, 5000] {
            let reference = bytes.withUnsafeBytes { lt_checksum_ref($0.baseAddress, Int64(count)) }
            for chunk in [1, 5, 64, 100, 5000] {
                var s = lt_checksum_state()
                lt_checksum_init(&s)
                var offset = 0
                while offset < count {
                    let n = min(chunk, count - offset)
                    bytes.withUnsafeBytes { lt_checksum_update(&s, $0.baseAddress! + offset, Int64(n)) }
                    offset += n
                }
                #expect(lt_checksum_final(&s) == reference, "\(count) bytes in chunks of \(chunk)")
            }
        }
        // Any one changed byte changes the sum; so does a zero appended (the length is mixed in).
        let base = bytes.withUnsafeBytes { lt_checksum_ref($0.baseAddress, 1000) }
        for i in stride(from: 0, to: 1000, by: 37) {
            var changed = bytes
            changed[i] ^= 0x10
            #expect(changed.withUnsafeBytes { lt_checksum_ref($0.baseAddress, 1000) } != base)
        }
        var padded = Array(bytes[0..<1000]) + [0]
        #expect(padded.withUnsafeBytes { lt_checksum_ref($0.baseAddress, 1001) } != base)
        padded.removeLast()
        #expect(padded.withUnsafeBytes { lt_checksum_ref($0.baseAddress, 1000) } == base)
    }

    @Test func poolKeepsByBytesAndEvictsTheLeastRecentlyUsed() throws {
        let cache = try KVCache(layerCount: 2, kvHeadCount: 1, headSize: 4, capacity: 64)
        let perPosition = cache.bytesPerPosition
        func fill(_ ids: [TokenID]) {
            cache.clear()
            cache.forEachRun(count: ids.count) { run in
                let p = run.assumingMemoryBound(to: UInt16.self)
                for i in 0..<(ids.count * 4) { p[i] = UInt16(truncatingIfNeeded: Int(ids[i / 4]) * 7 + i) }
            }
            cache.adopt(ids[...], batched: ids.count)
        }
        var pool = KVStatePool(byteLimit: 25 * perPosition)
        let a: [TokenID] = Array(1...10), b: [TokenID] = Array(101...110), c: [TokenID] = Array(201...210)
        fill(a); pool.keep(cache)
        fill(b); pool.keep(cache)
        #expect(pool.count == 2 && pool.byteCount == 20 * perPosition)
        _ = pool.longestPrefix(of: a)          // a is now the most recently used
        fill(c); pool.keep(cache)               // 30 > 25: b goes
        #expect(pool.count == 2)
        #expect(pool.longestPrefix(of: b) == nil)
        // A state extending a kept one replaces it; one a kept state covers is not copied again.
        fill(a + [11, 12]); pool.keep(cache)
        #expect(pool.count == 2 && pool.byteCount == 22 * perPosition)
        fill(Array(a.prefix(5))); pool.keep(cache)
        #expect(pool.count == 2)
        // Restoring gives back the exact bytes of the prefix asked for.
        let lookup = pool.longestPrefix(of: a + [99])
        let found = try #require(lookup)
        #expect(found.length == 10)
        cache.clear()
        found.snapshot.restore(into: cache, length: found.length)
        #expect(cache.tokens == a)
        let restored = cache.keys(layer: 1, head: 0)
        fill(a)
        let expected = Array(UnsafeBufferPointer(start: cache.keys(layer: 1, head: 0), count: 40))
        found.snapshot.restore(into: cache, length: 10)
        #expect(Array(UnsafeBufferPointer(start: restored, count: 40)) == expected)
        // A limit of zero keeps nothing.
        var none = KVStatePool(byteLimit: 0)
        none.keep(cache)
        #expect(none.count == 0)
    }

    /// 2000 seeded mutations of a state file's header (and every truncation of it) never crash
    /// the reader: each is refused with a reason, or read as a header that fits the file and
    /// then checked like any other (identity, then the checksum).
    @Test func mutatedHeadersNeverCrashTheReader() throws {
        let cache = try KVCache(layerCount: 2, kvHeadCount: 1, headSize: 8, capacity: 64)
        let tokens: [TokenID] = Array(1...20)
        cache.forEachRun(count: tokens.count) { run in
            let p = run.assumingMemoryBound(to: UInt16.self)
            for i in 0..<(tokens.count * 8) { p[i] = UInt16(truncatingIfNeeded: i &* 2654435761) & 0x3BFF }
        }
        cache.adopt(tokens[...], batched: tokens.count)
        let identity = KVStateIdentity(modelFileSize: 123_456, modelHash: 0xABCDEF, contextLength: 64, layerCount: 2,
                                       kvHeadCount: 1, headSize: 8, ropeBase: 10000, ropeScale: 1, ropeDimensions: 8)
        let folder = try Self.freshFolder("fuzz")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/state.kv"
        var fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try KVStateFile.write(fd: fd, cache: cache, identity: identity, modelLabel: "fuzz.gguf", path: path)
        close(fd)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = KVStateFile.headerBytes(identity: identity, tokens: tokens, modelLabel: "fuzz.gguf").count
        let target = try KVCache(layerCount: 2, kvHeadCount: 1, headSize: 8, capacity: 64)
        func attempt(_ bytes: Data) -> Bool {
            // The cache holds a state: a failed load must leave it empty, never half-filled.
            [TokenID(7), 8].withUnsafeBufferPointer { target.commit($0, batched: true) }
            try? bytes.write(to: URL(fileURLWithPath: path))
            fd = open(path, O_RDONLY)
            defer { close(fd) }
            var loading = false
            do {
                let header = try KVStateFile.readHeader(fd: fd, size: bytes.count, path: path)
                #expect(header.expectedSize == bytes.count)
                if identity.mismatch(with: header.identity) != nil { target.clear(); return false }
                loading = true
                try KVStateFile.load(fd: fd, header: header, into: target, path: path)
                return true
            } catch {
                #expect(String(describing: error).hasPrefix("KV state \(path): "))
                #expect(!String(describing: error).contains("\n"))
                if loading { #expect(target.count == 0, "a failed load leaves the cache empty") }
                target.clear()
                return false
            }
        }
        #expect(attempt(original))
        #expect(target.tokens == tokens)
        for n in 0..<original.count where n % 7 == 0 || n < headerLength + 16 { #expect(!attempt(original.prefix(n)), "prefix \(n)") }
        var rng = RandomSource(seed: 42)
        var accepted = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                bytes[Int(rng.next() % UInt64(headerLength))] ^= UInt8(1 + rng.next() % 255)
            }
            if attempt(bytes) && bytes != original { accepted += 1 }
        }
        // A changed byte always changes the checksum: none of them loads.
        #expect(accepted == 0)
    }

    // MARK: the engine

    @Test func memoryPoolResumesAVariantFromItsOwnPrefix() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let pooled = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2)
        let single = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvMemory: 0)
        let fresh = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvMemory: 0)
        for e in [pooled, single] {
            _ = try await Self.run(e, Self.prompt)
            _ = try await Self.run(e, Self.variant)
        }
        let back = Self.prompt + [13, 450]
        let a = try await Self.run(pooled, back), b = try await Self.run(single, back)
        #expect(a.report.reusedFrom == .memory && a.stats.reusedFrom == .memory)
        #expect(a.stats.reusedTokens >= Self.prompt.count, "reused \(a.stats.reusedTokens)")
        #expect(b.stats.reusedTokens == 12)
        await fresh.resetCache()
        let c = try await Self.run(fresh, back)
        #expect(c.stats.reusedTokens == 0 && c.stats.reusedFrom == ReuseSource.none)
        #expect(a.tokens == c.tokens && b.tokens == c.tokens)
    }

    @Test func diskResumeGivesTheSameGreedyReply() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let folder = try Self.freshFolder("resume")
        let settings = KVDiskSettings(directory: folder)
        let first = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        let one = try await Self.run(first, Self.prompt)
        #expect(Self.stateFiles(folder).count == 1)
        var st = stat()
        #expect(stat(folder, &st) == 0 && st.st_mode & 0o777 == 0o700)
        let file = folder + "/" + Self.stateFiles(folder)[0]
        #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600)

        let next = Self.prompt + one.tokens + [13, 450, 4996]
        let resumed = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        let a = try await Self.run(resumed, next)
        #expect(a.report.reusedFrom == .disk && a.report.notes.isEmpty, "\(a.report)")
        let saved = await first.cachedTokens()
        #expect(saved.count >= Self.prompt.count + one.tokens.count - 1)
        #expect(a.stats.reusedTokens == saved.count)
        let full = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2)
        let b = try await Self.run(full, next)
        #expect(b.stats.reusedTokens == 0)
        #expect(a.tokens == b.tokens)
        // The longer state replaced the shorter one (it serves every prompt the other did).
        #expect(Self.stateFiles(folder).count == 1)
        #expect(Self.stateFiles(folder)[0] != (file as NSString).lastPathComponent)
    }

    /// Each damaged or mismatched file is removed with one note, the history is evaluated again,
    /// and the reply is the one a full evaluation gives.
    @Test func damagedAndMismatchedFilesAreRejectedAndRecomputed() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        let (other, otherF) = try TinyModel.write(type: .q4_1, directory: Self.directory)
        defer {
            for u in [q, f, other, otherF] { try? FileManager.default.removeItem(at: u) }
        }
        let folder = try Self.freshFolder("damage")
        let settings = KVDiskSettings(directory: folder)
        let writer = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        let one = try await Self.run(writer, Self.prompt)
        let name = try #require(Self.stateFiles(folder).first)
        let path = folder + "/" + name
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let next = Self.prompt + one.tokens + [13]
        let full = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2)
        let expected = try await Self.run(full, next).tokens

        func expectRejected(_ bytes: Data, _ what: String, note: String) async throws {
            try bytes.write(to: URL(fileURLWithPath: path))
            let engine = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
            let r = try await Self.run(engine, next)
            #expect(r.stats.reusedFrom == ReuseSource.none && r.stats.reusedTokens == 0, "\(what)")
            #expect(r.report.notes.count == 1, "\(what): \(r.report.notes)")
            #expect(r.report.notes.first?.contains(note) == true, "\(what): \(r.report.notes)")
            #expect(r.tokens == expected, "\(what)")
            // The rejected file is gone; the new reply's state took its place.
            #expect(!FileManager.default.fileExists(atPath: path), "\(what)")
            for n in Self.stateFiles(folder) { try? FileManager.default.removeItem(atPath: folder + "/" + n) }
        }

        // Truncated at 20 offsets: inside the fixed header, the tokens, the keys, the values, the checksum.
        let size = original.count
        var offsets = [0, 3, 10, 63, 64, 100, 200, size / 4, size / 3, size / 2, 2 * size / 3, 3 * size / 4,
                       size - 200, size - 64, size - 9, size - 8, size - 7, size - 2, size - 1, 150]
        offsets = Array(Set(offsets)).sorted()
        #expect(offsets.count == 20)
        for o in offsets {
            try await expectRejected(original.prefix(o), "truncated to \(o)", note: "truncated")
        }
        // One flipped byte: the magic, the version, the context length, a token id, a key, a value, the checksum.
        let probe = path + ".probe"
        try original.write(to: URL(fileURLWithPath: probe))
        let fd = open(probe, O_RDONLY)
        let header = try KVStateFile.readHeader(fd: fd, size: size, path: probe)
        close(fd)
        unlink(probe)
        let tokensAt = (64 + header.modelLabel.utf8.count + 3) / 4 * 4
        let dataBytes = size - 8 - header.dataOffset
        let flips: [(Int, String, String)] = [
            (1, "magic", "bad magic"), (4, "version", "format version"), (24, "context length", "context of"),
            (66, "model label", "checksum"), (tokensAt + 4 * 35, "token id", "checksum"),
            (header.dataOffset + 5, "key", "checksum"), (header.dataOffset + dataBytes / 2 + 33, "value", "checksum"),
            (size - 3, "checksum", "checksum"),
        ]
        for (offset, what, note) in flips {
            var bytes = original
            bytes[offset] ^= 0x04
            try await expectRejected(bytes, "\(what) flipped at \(offset)", note: note)
        }
        // Another model's file under this model's name.
        let otherFolder = try Self.freshFolder("damage-other")
        let otherEngine = try InferenceEngine(modelPath: other.path, contextLength: 128, threads: 2,
                                              kvDisk: KVDiskSettings(directory: otherFolder))
        _ = try await Self.run(otherEngine, Self.prompt)
        let otherFile = try #require(Self.stateFiles(otherFolder).first)
        try await expectRejected(try Data(contentsOf: URL(fileURLWithPath: otherFolder + "/" + otherFile)),
                                 "another model's file", note: "another model file")
        // Another context length: its session keeps its own files and never removes these; a file
        // of the other length under this session's name is rejected.
        try original.write(to: URL(fileURLWithPath: path))
        let longer = try InferenceEngine(modelPath: q.path, contextLength: 256, threads: 2, kvDisk: settings)
        let l = try await Self.run(longer, next)
        #expect(l.stats.reusedFrom == ReuseSource.none && l.report.notes.isEmpty && l.tokens == expected)
        #expect(FileManager.default.fileExists(atPath: path))
        let longerFile = try #require(Self.stateFiles(folder).first { $0 != name })
        let longerBytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + longerFile))
        try FileManager.default.removeItem(atPath: folder + "/" + longerFile)
        try await expectRejected(longerBytes, "another context length", note: "context of 256 tokens")
    }

    @Test func theSizeLimitEvictsTheLeastRecentlyUsed() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let folder = try Self.freshFolder("limit")
        // One 46-token state takes about 46 · 4 KiB: room for two, not three.
        let identity = KVStateIdentity(model: try LlamaModel(path: q.path), contextLength: 128)
        let oneFile = 46 * identity.bytesPerPosition + 4096
        let settings = KVDiskSettings(directory: folder, byteLimit: 2 * oneFile + oneFile / 2)
        let engine = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        let prompts: [[TokenID]] = (0..<3).map { (k: Int) -> [TokenID] in
            [TokenID(1)] + (0..<39).map { (i: Int) -> TokenID in TokenID(700 + k * 1000 + i) }
        }
        for p in prompts {
            _ = try await Self.run(engine, p)
            usleep(20_000)
        }
        let files = Self.stateFiles(folder)
        #expect(files.count == 2, "\(files)")
        let total = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: folder + "/" + $1)[.size] as? Int) ?? 0) }
        #expect(total <= settings.byteLimit)
        // The first conversation's state went; the last two resume from disk.
        let again = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        #expect(try await Self.run(again, prompts[0] + [13]).stats.reusedFrom == ReuseSource.none)
        #expect(try await Self.run(again, prompts[2] + [13]).stats.reusedFrom == .disk)
    }

    /// Two writers of the same conversation's state at once (as two processes would) leave one
    /// valid file, and no temporary file.
    @Test func concurrentWritersLeaveAValidFile() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        let folder = try Self.freshFolder("writers")
        let settings = KVDiskSettings(directory: folder)
        let engines = try (0..<2).map { _ in try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 1, kvDisk: settings) }
        for _ in 0..<3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for e in engines { group.addTask { _ = try await Self.run(e, Self.prompt) } }
                try await group.waitForAll()
            }
        }
        let all = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(all.count == 1, "\(all)")
        let reader = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2, kvDisk: settings)
        let r = try await Self.run(reader, Self.prompt + [13, 450])
        #expect(r.stats.reusedFrom == .disk && r.report.notes.isEmpty, "\(r.report)")
    }

    @Test func anUnwritableFolderLeavesANoteAndTheRepliesGoOn() async throws {
        let (q, f) = try TinyModel.write(type: .q8_0, directory: Self.directory)
        defer { try? FileManager.default.removeItem(at: q); try? FileManager.default.removeItem(at: f) }
        // /proc cannot hold a folder: every save fails, and the replies go on.
        let engine = try InferenceEngine(modelPath: q.path, contextLength: 128, threads: 2,
                                         kvDisk: KVDiskSettings(directory: "/proc/llamaterm-kv-test"))
        let one = try await Self.run(engine, Self.prompt)
        #expect(one.tokens.count > 0)
        #expect(one.saveNotes.count == 1 && one.saveNotes[0].contains("not saved"), "\(one.saveNotes)")
        let second = try await Self.run(engine, Self.prompt + [13])
        #expect(second.tokens.count > 0 && second.report.notes.isEmpty)
    }
}
