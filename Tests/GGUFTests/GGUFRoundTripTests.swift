import Foundation
import Testing
@testable import GGUF
import TestSupport

@Suite struct GGUFRoundTripTests {
    @Test func writtenFileReadsBackEqual() throws {
        var meta = GGUFMetadata()
        meta["general.architecture"] = .string("llama")
        meta["llama.block_count"] = .uint32(2)
        meta["some.float"] = .float32(1.5)
        meta["some.double"] = .float64(-2.25)
        meta["some.bool"] = .bool(true)
        meta["some.i64"] = .int64(-7)
        meta["some.strings"] = .array(.string, [.string("a"), .string("é😀"), .string("")])
        meta["some.nested"] = .array(.array, [.array(.int32, [.int32(1), .int32(-2)]), .array(.int32, [])])
        var writer = GGUFWriter(metadata: meta)
        try writer.addTensor(name: "w", dimensions: [4, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])
        try writer.addTensor(name: "q", type: .q8_0, dimensions: [32], data: [UInt8](repeating: 7, count: 34))
        let dir = try TestPaths.temporaryDirectory("gguf")
        let url = dir.appendingPathComponent("t.gguf")
        try writer.write(to: url)

        let file = try GGUFFile(path: url.path)
        #expect(file.version == 3)
        #expect(file.metadata == meta)
        #expect(file.tensors.map(\.name) == ["w", "q"])
        #expect(file.tensor(named: "w")?.dimensions == [4, 2])
        let w = try file.data(named: "w")
        #expect(w.count == 32)
        #expect(w.loadUnaligned(fromByteOffset: 28, as: Float.self) == 8)
        #expect(Array(try file.data(named: "q")) == [UInt8](repeating: 7, count: 34))
        #expect(file.metadata.strings("some.strings") == ["a", "é😀", ""])
        #expect(file.metadata.int("llama.block_count") == 2)
    }

    @Test func realModelSummary() throws {
        let file = try GGUFFile(path: TestPaths.defaultModel.path)
        #expect(file.metadata.string("general.architecture") == "llama")
        #expect(file.metadata.int("llama.block_count") == 30)
        var histogram: [GGMLType: Int] = [:]
        for t in file.tensors { histogram[t.type, default: 0] += 1 }
        #expect(histogram == [.q4_1: 210, .f32: 61, .q8_0: 1])
    }
}
