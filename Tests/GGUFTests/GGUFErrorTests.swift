import Foundation
import Testing
@testable import GGUF
import TestSupport

/// One test per error message the reader promises, on files built to have exactly that fault.
@Suite struct GGUFErrorTests {
    /// A valid file with `entries` metadata entries and one F32 tensor per name.
    static func image(entries: Int = 20, tensors: [String] = ["blk.3.attn_q.weight"]) throws -> [UInt8] {
        var meta = GGUFMetadata()
        meta["general.architecture"] = .string("llama")
        for i in 1..<entries { meta["test.key_\(i)"] = .uint32(UInt32(i)) }
        var w = GGUFWriter(metadata: meta)
        for name in tensors { try w.addTensor(name: name, dimensions: [8, 4], floats: Array(repeating: 1, count: 32)) }
        return w.serialized()
    }

    static func error(_ bytes: [UInt8]) -> GGUFError? {
        do { _ = try GGUFFile(bytes: bytes); return nil } catch let e as GGUFError { return e } catch { return nil }
    }

    /// Byte offset where metadata entry `index` starts (entries of the image above).
    static func entryOffset(_ bytes: [UInt8], index: Int) -> Int {
        var off = 24
        for _ in 0..<index {
            let keyLen = Int(bytes[off..<off + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            off += 8 + keyLen
            let type = bytes[off..<off + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            off += 4
            if type == GGUFValueType.string.rawValue {
                let n = Int(bytes[off..<off + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                off += 8 + n
            } else { off += 4 }
        }
        return off
    }

    @Test func wrongMagic() {
        let e = Self.error([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0])
        #expect(e?.description == #"not a GGUF file (magic "PK\x03\x04")"#)
    }

    @Test func emptyFile() {
        #expect(Self.error([])?.description == #"not a GGUF file (magic "")"#)
    }

    @Test func unsupportedVersion() throws {
        var b = try Self.image()
        b[4] = 7
        #expect(Self.error(b)?.description == "unsupported GGUF version 7 (supported: 2, 3)")
    }

    @Test func truncatedInsideAKey() throws {
        let b = try Self.image()
        let at = Self.entryOffset(b, index: 17) + 10   // inside entry 17's key text
        let e = Self.error(Array(b[..<at]))
        #expect(e?.description == "truncated at byte \(at) while reading the key of metadata entry 17")
    }

    @Test func truncatedAtEveryPrefixGivesAnError() throws {
        let b = try Self.image(entries: 5, tensors: ["a", "b"])
        for n in 0..<b.count {
            #expect(Self.error(Array(b[..<n])) != nil, "prefix of \(n) bytes parsed")
        }
    }

    @Test func tensorDataOutsideTheFile() throws {
        let b = try Self.image()
        let file = try GGUFFile(bytes: b)
        let t = try #require(file.tensor(named: "blk.3.attn_q.weight"))
        let start = file.dataOffset + t.offset
        let cut = Array(b[..<(start + 100)])
        #expect(Self.error(cut)?.description
            == "tensor \"blk.3.attn_q.weight\" data [\(start), \(start + 128)) lies outside the file (size \(start + 100))")
    }

    @Test func hugeCounts() throws {
        var b = try Self.image()
        withUnsafeBytes(of: UInt64(1) << 60) { for i in 0..<8 { b[16 + i] = $0[i] } }   // metadata count
        #expect(Self.error(b)?.description.hasPrefix("metadata count 1152921504606846976 is impossible in a file of") == true)
        var c = try Self.image()
        withUnsafeBytes(of: UInt64.max) { for i in 0..<8 { c[8 + i] = $0[i] } }   // tensor count
        #expect(Self.error(c)?.description.hasPrefix("tensor count 18446744073709551615 is impossible") == true)
    }

    @Test func hugeStringLength() throws {
        var b = try Self.image()
        let off = Self.entryOffset(b, index: 3)
        withUnsafeBytes(of: UInt64(1) << 40) { for i in 0..<8 { b[off + i] = $0[i] } }
        let e = Self.error(b)
        #expect(e?.description.contains("the key of metadata entry 3 has length 1099511627776 but only") == true)
    }

    @Test func misalignedTensorOffset() throws {
        var w = GGUFWriter()
        try w.addTensor(name: "a", dimensions: [8], floats: Array(repeating: 0, count: 8))
        try w.addTensor(name: "b", dimensions: [8], floats: Array(repeating: 0, count: 8))
        var b = w.serialized()
        // The second tensor's offset (32) is the last 8 bytes of the tensor infos; make it 36.
        let file = try GGUFFile(bytes: b)
        let infoEnd = file.dataOffset - (file.dataOffset - Self.headerEnd(b))
        b[infoEnd - 8] = 36
        #expect(Self.error(b)?.description == "tensor \"b\" offset 36 is not a multiple of the alignment 32")
    }

    static func headerEnd(_ b: [UInt8]) -> Int {
        // header: magic, version, counts (24 bytes), no metadata, tensor "a" (8+1+4+8+4+8), tensor "b" the same
        24 + 2 * (8 + 1 + 4 + 8 + 4 + 8)
    }

    @Test func badAlignmentValue() throws {
        var meta = GGUFMetadata()
        meta["general.alignment"] = .uint32(3)
        let e = Self.error(GGUFWriter(metadata: meta).serialized())
        #expect(e?.description.hasPrefix("general.alignment must be a power of two") == true)
    }

    @Test func unknownTensorType() throws {
        var w = GGUFWriter()
        try w.addTensor(name: "a", dimensions: [8], floats: Array(repeating: 0, count: 8))
        var b = w.serialized()
        let typeOffset = 24 + 8 + 1 + 4 + 8
        b[typeOffset] = 99
        #expect(Self.error(b)?.description == "tensor \"a\" has unknown type 99 (at byte \(typeOffset))")
    }

    @Test func deepArraysAreRefused() throws {
        var v = GGUFValue.array(.int32, [.int32(1)])
        for _ in 0..<6 { v = .array(.array, [v]) }
        var meta = GGUFMetadata()
        meta["deep"] = v
        let e = Self.error(GGUFWriter(metadata: meta).serialized())
        #expect(e?.description.contains("nests arrays deeper than") == true)
    }
}
