import CKernels
import Foundation
import Tokenizers

/// What a KV state is only valid for: the model file (its size and a checksum of its header and
/// tensor table, never of the weights) and the settings the keys and values depend on.
struct KVStateIdentity: Equatable, Sendable {
    var modelFileSize: UInt64
    var modelHash: UInt64
    var contextLength: UInt32
    var layerCount: UInt32
    var kvHeadCount: UInt32
    var headSize: UInt32
    var ropeBase: Float
    var ropeScale: Float
    var ropeDimensions: UInt32

    init(model: LlamaModel, contextLength: Int) {
        let file = model.file
        modelFileSize = UInt64(file.fileSize)
        modelHash = KVStateFile.checksum(UnsafeRawBufferPointer(rebasing: file.file.bytes[..<min(file.dataOffset, file.fileSize)]))
        let c = model.config
        self.contextLength = UInt32(contextLength)
        layerCount = UInt32(c.layerCount)
        kvHeadCount = UInt32(c.kvHeadCount)
        headSize = UInt32(c.headSize)
        ropeBase = c.ropeFrequencyBase
        ropeScale = c.ropeScale
        ropeDimensions = UInt32(c.ropeDimensionCount)
    }

    init(modelFileSize: UInt64, modelHash: UInt64, contextLength: UInt32, layerCount: UInt32, kvHeadCount: UInt32,
         headSize: UInt32, ropeBase: Float, ropeScale: Float, ropeDimensions: UInt32) {
        self.modelFileSize = modelFileSize
        self.modelHash = modelHash
        self.contextLength = contextLength
        self.layerCount = layerCount
        self.kvHeadCount = kvHeadCount
        self.headSize = headSize
        self.ropeBase = ropeBase
        self.ropeScale = ropeScale
        self.ropeDimensions = ropeDimensions
    }

    /// Bytes of keys and values per position.
    var bytesPerPosition: Int { Int(layerCount) * Int(kvHeadCount) * Int(headSize) * 2 * 2 }

    /// Why a state made for `other` cannot serve this one (nil when it can).
    func mismatch(with other: KVStateIdentity) -> String? {
        if other.modelFileSize != modelFileSize || other.modelHash != modelHash {
            return "it was made with another model file (\(other.modelFileSize) bytes, this one \(modelFileSize))"
        }
        if other.contextLength != contextLength {
            return "it was made with a context of \(other.contextLength) tokens, this session has \(contextLength)"
        }
        if other.ropeBase != ropeBase || other.ropeScale != ropeScale || other.ropeDimensions != ropeDimensions {
            return "it was made with other RoPE settings (base \(other.ropeBase), scale \(other.ropeScale))"
        }
        if other.layerCount != layerCount || other.kvHeadCount != kvHeadCount || other.headSize != headSize {
            return "its shape (\(other.layerCount) layers, \(other.kvHeadCount) KV heads of \(other.headSize)) is not the model's"
        }
        return nil
    }
}

/// The KV state file format (version 1), all little-endian:
///
///     0   "LTKV" magic, then the format version (UInt32)
///     8   model file size (UInt64), model header checksum (UInt64)
///     24  context length, layers, KV heads, head size (UInt32 each)
///     40  RoPE base, RoPE scale (Float32), RoPE dimensions, KV type (1 = F16) (UInt32)
///     56  token count, model label length (UInt32)
///     64  the model label (UTF-8, the file name, for `cache list`), padded to 4 bytes
///         the token ids (UInt32 each), zero padding to a multiple of 64 bytes
///     D   keys then values, each layer and KV head's positions in a row (F16; KVCache.forEachRun)
///     end the checksum (lt_checksum) of every byte before it
///
/// Read in place into the KV cache; any disagreement with the size the header implies, the
/// identity or the checksum rejects the file.
enum KVStateFile {
    static let magic: [UInt8] = Array("LTKV".utf8)
    static let version: UInt32 = 1
    static let f16Type: UInt32 = 1
    static let fixedHeaderBytes = 64

    /// What the header of a state file says.
    struct Header: Equatable {
        var identity: KVStateIdentity
        var tokens: [TokenID]
        var modelLabel: String
        /// Where the keys begin.
        var dataOffset: Int
        /// The file's size as the header implies it.
        var expectedSize: Int { dataOffset + tokens.count * identity.bytesPerPosition + 8 }
    }

    /// Where the token ids and the keys begin for `count` tokens and a label of `labelLength` bytes.
    static func layout(count: Int, labelLength: Int) -> (tokensAt: Int, dataOffset: Int) {
        let tokensAt = (fixedHeaderBytes + labelLength + 3) / 4 * 4
        return (tokensAt, (tokensAt + 4 * count + 63) / 64 * 64)
    }

    /// The size of the file holding `count` positions for `identity`, labelled `modelLabel`.
    static func fileSize(count: Int, identity: KVStateIdentity, modelLabel: String) -> Int {
        layout(count: count, labelLength: min(modelLabel.utf8.count, 255)).dataOffset + count * identity.bytesPerPosition + 8
    }

    /// The `lt_checksum` of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var s = lt_checksum_state()
        lt_checksum_init(&s)
        lt_checksum_update(&s, bytes.baseAddress, Int64(bytes.count))
        return lt_checksum_final(&s)
    }

    /// The bytes before the keys and values.
    static func headerBytes(identity i: KVStateIdentity, tokens: [TokenID], modelLabel: String) -> [UInt8] {
        var b: [UInt8] = magic
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        let label = Array(modelLabel.utf8.prefix(255))
        u32(version)
        u64(i.modelFileSize); u64(i.modelHash)
        u32(i.contextLength); u32(i.layerCount); u32(i.kvHeadCount); u32(i.headSize)
        u32(i.ropeBase.bitPattern); u32(i.ropeScale.bitPattern); u32(i.ropeDimensions); u32(f16Type)
        u32(UInt32(tokens.count)); u32(UInt32(label.count))
        b.append(contentsOf: label)
        while b.count % 4 != 0 { b.append(0) }
        for t in tokens { u32(UInt32(bitPattern: t)) }
        while b.count % 64 != 0 { b.append(0) }
        return b
    }

    /// Reads and checks the header of the open file `fd` (of `size` bytes): magic, version, the
    /// sizes it implies. Throws a one-line reason.
    static func readHeader(fd: Int32, size: Int, path: String) throws -> Header {
        func fail(_ m: String) -> InferenceError { .kvState(path: path, message: m) }
        guard size >= fixedHeaderBytes + 8 else { throw fail("truncated: \(size) bytes, shorter than a header") }
        let fixed = try read(fd: fd, offset: 0, count: fixedHeaderBytes, path: path)
        guard Array(fixed[0..<4]) == magic else { throw fail("not a llamaterm KV state file (bad magic)") }
        func u32(_ o: Int) -> UInt32 { fixed[o..<(o + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ o: Int) -> UInt64 { UInt64(u32(o)) | UInt64(u32(o + 4)) << 32 }
        let v = u32(4)
        guard v == version else { throw fail("format version \(v) is not the supported version \(version)") }
        guard u32(52) == f16Type else { throw fail("KV type \(u32(52)) is not F16") }
        let identity = KVStateIdentity(modelFileSize: u64(8), modelHash: u64(16), contextLength: u32(24), layerCount: u32(28),
                                       kvHeadCount: u32(32), headSize: u32(36), ropeBase: Float(bitPattern: u32(40)),
                                       ropeScale: Float(bitPattern: u32(44)), ropeDimensions: u32(48))
        let count = Int(u32(56)), labelLength = Int(u32(60))
        guard labelLength <= 255, count <= Int(identity.contextLength), identity.layerCount <= 4096,
              identity.kvHeadCount <= 4096, identity.headSize <= 4096 else {
            throw fail("header holds impossible sizes (\(count) tokens, label \(labelLength) bytes)")
        }
        let (tokensAt, dataOffset) = layout(count: count, labelLength: labelLength)
        let (data, overflow) = count.multipliedReportingOverflow(by: identity.bytesPerPosition)
        guard !overflow, data <= Int(Int32.max) * 1024 else { throw fail("header holds impossible sizes (\(count) tokens of \(identity.bytesPerPosition) bytes)") }
        let expected = dataOffset + data + 8
        guard size == expected else {
            throw fail(size < expected ? "truncated: \(size) bytes of the \(expected) its header implies"
                                       : "\(size) bytes, more than the \(expected) its header implies")
        }
        let rest = try read(fd: fd, offset: fixedHeaderBytes, count: dataOffset - fixedHeaderBytes, path: path)
        let label = String(decoding: rest[0..<labelLength], as: UTF8.self)
        var tokens: [TokenID] = []
        tokens.reserveCapacity(count)
        for i in 0..<count {
            let o = tokensAt - fixedHeaderBytes + 4 * i
            tokens.append(TokenID(bitPattern: rest[o..<(o + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) }))
        }
        return Header(identity: identity, tokens: tokens, modelLabel: label, dataOffset: dataOffset)
    }

    /// Reads the keys and values of `header`'s file into `cache` and checks the checksum; the
    /// cache then holds the file's tokens. On any failure the cache is left empty.
    static func load(fd: Int32, header: Header, into cache: KVCache, path: String) throws {
        cache.clear()
        var s = lt_checksum_state()
        lt_checksum_init(&s)
        let head = try read(fd: fd, offset: 0, count: header.dataOffset, path: path)
        head.withUnsafeBytes { lt_checksum_update(&s, $0.baseAddress, Int64($0.count)) }
        let n = header.tokens.count
        let runBytes = n * cache.headSize * 2
        var offset = header.dataOffset
        try cache.forEachRun(count: n) { run in
            try readFully(fd: fd, into: run, count: runBytes, offset: offset, path: path)
            lt_checksum_update(&s, run, Int64(runBytes))
            offset += runBytes
        }
        let trailer = try read(fd: fd, offset: offset, count: 8, path: path)
        let stored = trailer.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard stored == lt_checksum_final(&s) else {
            throw InferenceError.kvState(path: path, message: "checksum mismatch: the file is damaged")
        }
        // Saved states are evaluated as prompts before they are written (`KVStateStore.persist`).
        cache.adopt(header.tokens[...], batched: header.tokens.count)
    }

    /// Writes `cache`'s positions to `fd`, the checksum last.
    static func write(fd: Int32, cache: KVCache, identity: KVStateIdentity, modelLabel: String, path: String) throws {
        var s = lt_checksum_state()
        lt_checksum_init(&s)
        let head = headerBytes(identity: identity, tokens: cache.tokens, modelLabel: modelLabel)
        try head.withUnsafeBytes { raw in
            lt_checksum_update(&s, raw.baseAddress, Int64(raw.count))
            try writeFully(fd: fd, raw.baseAddress!, count: raw.count, path: path)
        }
        let runBytes = cache.count * cache.headSize * 2
        try cache.forEachRun(count: cache.count) { run in
            lt_checksum_update(&s, run, Int64(runBytes))
            try writeFully(fd: fd, run, count: runBytes, path: path)
        }
        var sum = lt_checksum_final(&s).littleEndian
        try writeFully(fd: fd, &sum, count: 8, path: path)
    }

    private static func read(fd: Int32, offset: Int, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try readFully(fd: fd, into: $0.baseAddress!, count: count, offset: offset, path: path) }
        return bytes
    }

    private static func readFully(fd: Int32, into p: UnsafeMutableRawPointer, count: Int, offset: Int, path: String) throws {
        var done = 0
        while done < count {
            let r = pread(fd, p + done, count - done, off_t(offset + done))
            if r < 0 && errno == EINTR { continue }
            if r < 0 { throw InferenceError.kvState(path: path, message: "cannot read at offset \(offset + done): \(String(cString: strerror(errno)))") }
            if r == 0 { throw InferenceError.kvState(path: path, message: "truncated at offset \(offset + done)") }
            done += r
        }
    }

    private static func writeFully(fd: Int32, _ p: UnsafeRawPointer, count: Int, path: String) throws {
        var done = 0
        while done < count {
            let r = Foundation.write(fd, p + done, count - done)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { throw InferenceError.kvState(path: path, message: "cannot write: \(String(cString: strerror(errno)))") }
            done += r
        }
    }
}
