import Foundation
import GGUF
import Testing
import TestSupport
@testable import Kernels

/// Dequantization against `quants.json` (expected values from the `gguf` Python package).
@Suite struct DequantizeFixtureTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String, typeID: UInt32, bytes: [UInt8], values: [Float]
        var description: String { name }
    }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: TestPaths.fixture("quants.json")),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [] }
        return json.keys.sorted().compactMap { name in
            guard let entry = json[name], let id = entry["type_id"] as? Int, let hex = entry["bytes_hex"] as? String,
                  let values = entry["values"] as? [Double] else { return nil }
            return Case(name: name, typeID: UInt32(id), bytes: TestData.hexBytes(hex), values: values.map { Float($0) })
        }
    }()

    @Test func fixtureHasEveryType() {
        #expect(Set(Self.cases.map(\.name)) == ["F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K",
                                                "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"])
    }

    @Test(arguments: cases)
    func dequantizeMatchesFixture(_ c: Case) throws {
        let type = try #require(GGMLType(rawValue: c.typeID))
        #expect(type.name == c.name)
        #expect(c.bytes.count == c.values.count / type.blockSize * type.bytesPerBlock)
        var out = [Float](repeating: .nan, count: c.values.count)
        try c.bytes.withUnsafeBytes { raw in
            try Dequantize.row(type, raw.baseAddress!, count: c.values.count, into: &out)
        }
        var worst: Float = 0
        for i in 0..<c.values.count {
            worst = max(worst, abs(out[i] - c.values[i]) / max(abs(c.values[i]), 1e-3))
        }
        #expect(worst <= 2e-7, "\(c.name): worst relative error \(worst)")

        // The same through WeightMatrix.dequantize (the AVX-512 path), one row per block.
        let rows = c.values.count / type.blockSize
        let columns = type.blockSize == 1 ? 1 : type.blockSize
        var out2 = [Float](repeating: .nan, count: c.values.count)
        try c.bytes.withUnsafeBytes { raw in
            let m = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
            out2.withUnsafeMutableBufferPointer { dst in
                m.dequantize(rows: 1..<rows, into: dst.baseAddress! + columns)
                m.dequantize(rows: 0..<1, into: dst.baseAddress!)
            }
        }
        for i in 0..<c.values.count {
            #expect(abs(out2[i] - c.values[i]) <= 2e-7 * max(abs(c.values[i]), 1e-3), "\(c.name) value \(i)")
        }
    }

    @Test func unsupportedTypeIsRejected() {
        let bytes = [UInt8](repeating: 0, count: 256)
        bytes.withUnsafeBytes { raw in
            #expect(throws: KernelsError.unsupportedType(.iq2_xxs)) {
                try WeightMatrix(type: .iq2_xxs, rows: 1, columns: 256, data: raw.baseAddress!)
            }
            #expect(throws: KernelsError.invalidShape(type: .q4_K, rows: 1, columns: 100)) {
                try WeightMatrix(type: .q4_K, rows: 1, columns: 100, data: raw.baseAddress!)
            }
            #expect("\(KernelsError.unsupportedType(.iq2_xxs))".contains("IQ2_XXS"))
        }
    }
}
