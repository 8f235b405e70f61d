import CKernels
import XCTest
import GGUF
@testable import Kernels

/// The AMX product (`WeightMatrix.multiply(TileBatch, ...)`): the bf16 rounding of activations
/// against an independent Swift rounding, the bf16 dequantization against the float one, the
/// kernel's dequantized weights bit for bit (through one-hot activations), and its sums against
/// the plain C reference that adds the same bf16 products in double.
final class TileBatchTests: XCTestCase {
    static let types: [GGMLType] = [.q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q4_0, .q4_1, .q8_0]

    /// Round to nearest even, subnormals to signed zero, NaN kept quiet: what the kernels'
    /// `vcvtne2ps2bf16` does, written out bit by bit.
    static func bf16(_ f: Float) -> UInt16 {
        let b = f.bitPattern
        if b & 0x7F80_0000 == 0 { return UInt16((b >> 16) & 0x8000) }
        if f.isNaN { return UInt16(b >> 16) | 0x40 }
        let rounded = UInt64(b) + 0x7FFF + UInt64((b >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    static func float(_ h: UInt16) -> Float { Float(bitPattern: UInt32(h) << 16) }

    func testSupportedTypes() {
        for type in Self.types { XCTAssertNotEqual(lt_amx_supports(type.rawValue), 0, "\(type)") }
        for type in [GGMLType.f32, .f16, .q5_0, .q5_1, .iq4_nl, .iq4_xs] {
            XCTAssertEqual(lt_amx_supports(type.rawValue), 0, "\(type)")
        }
    }

    func testBatchRoundingMatchesSwiftRoundingBitForBit() {
        let columns = 96, n = 37  // two blocks of 32 vectors, the second partial
        var x = TestData.vector(n * columns, seed: 5)
        // Halfway cases both ways, a carry into the exponent, subnormals, infinities, NaN, ±0.
        let special: [Float] = [
            Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), Float(bitPattern: 0x3FFF_FFFF),
            Float(bitPattern: 0x0000_0001), -Float(bitPattern: 0x007F_FFFF), .infinity, -.infinity, .nan,
            Float(bitPattern: 0x7F80_0001), 0, -0, .greatestFiniteMagnitude, Float(bitPattern: 0x0080_0000),
        ]
        for (i, s) in special.enumerated() { x[i * 7] = s }
        let fast = TileBatch(maxRows: n, maxColumns: columns), ref = TileBatch(maxRows: n, maxColumns: columns)
        fast.setShape(rows: n, columns: columns)
        ref.setShape(rows: n, columns: columns)
        x.withUnsafeBufferPointer { p in
            fast.convert(p.baseAddress!, ldx: columns, range: 0..<20)
            fast.convert(p.baseAddress!, ldx: columns, range: 20..<n)
            ref.convertReference(p.baseAddress!, ldx: columns, range: 0..<n)
        }
        for j in 0..<n {
            for i in 0..<columns {
                let expected = Self.bf16(x[j * columns + i])
                XCTAssertEqual(ref.value(row: j, index: i), expected, "reference, vector \(j) value \(i) (\(x[j * columns + i]))")
                XCTAssertEqual(fast.value(row: j, index: i), expected, "kernel, vector \(j) value \(i) (\(x[j * columns + i]))")
            }
        }
    }

    /// The layout the tile unit loads: 16 vectors × 32 values per 1 KB tile, value pairs adjacent.
    func testActivationLayout() {
        XCTAssertEqual(lt_amx_act_index(0, 0, 64), 0)
        XCTAssertEqual(lt_amx_act_index(0, 1, 64), 1)
        XCTAssertEqual(lt_amx_act_index(1, 0, 64), 32)
        XCTAssertEqual(lt_amx_act_index(0, 32, 64), 512)
        XCTAssertEqual(lt_amx_act_index(16, 0, 64), 1024)
        var seen = Set<Int64>()
        for j in 0..<64 { for i in 0..<64 { seen.insert(lt_amx_act_index(Int64(j), Int64(i), 64)) } }
        XCTAssertEqual(seen.count, 64 * 64)
        XCTAssertEqual(seen.min(), 0)
        XCTAssertEqual(seen.max(), 64 * 64 - 1)
    }

    func testBf16DequantizationIsTheFloatDequantizationRounded() throws {
        for type in Self.types {
            let rows = 5, columns = 512
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 11 + UInt64(type.rawValue))
            try bytes.withUnsafeBytes { raw in
                let w = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                var floats = [Float](repeating: 0, count: rows * columns)
                floats.withUnsafeMutableBufferPointer { w.dequantizeReference(rows: 0..<rows, into: $0.baseAddress!) }
                let scale = floats.map { abs($0) }.max() ?? 1
                for r in 0..<rows {
                    let row = try XCTUnwrap(w.bf16Row(r), "\(type)")
                    for i in 0..<columns {
                        let f = floats[r * columns + i], h = Self.float(row[i])
                        // One bf16 rounding of a value whose fused offset may differ from the
                        // float path's separate multiply-add by a float rounding.
                        XCTAssertEqual(h, f, accuracy: abs(f) / 256 + scale * 1e-6, "\(type) row \(r) value \(i)")
                    }
                }
            }
        }
    }

    /// One-hot activations make each output exactly one dequantized weight: the kernel's fast
    /// dequantization equals the reference's bit for bit, for every value of every row, in
    /// panels with partial groups of 32 rows.
    func testKernelDequantizesExactlyAsTheReference() throws {
        try XCTSkipUnless(TileBatch.available, "this machine (or build) has no AMX-BF16 tile unit")
        for type in Self.types {
            let rows = 45, columns = type.blockSize == 32 ? 288 : 256
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 21 + UInt64(type.rawValue))
            try bytes.withUnsafeBytes { raw in
                let w = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                XCTAssertTrue(w.hasTileKernel, "\(type)")
                var x = [Float](repeating: 0, count: columns * columns)
                for j in 0..<columns { x[j * columns + j] = 1 }
                let batch = TileBatch(maxRows: columns, maxColumns: columns)
                batch.setShape(rows: columns, columns: columns)
                x.withUnsafeBufferPointer { batch.convert($0.baseAddress!, ldx: columns, range: 0..<columns) }
                var y = [Float](repeating: .nan, count: columns * rows)
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: WeightMatrix.tileScratchBytes(columns: columns), alignment: 64)
                defer { scratch.deallocate() }
                y.withUnsafeMutableBufferPointer { w.multiply(batch, rows: 0..<rows, into: $0.baseAddress!, ldy: rows, scratch: scratch) }
                for r in 0..<rows {
                    let row = try XCTUnwrap(w.bf16Row(r))
                    for i in 0..<columns {
                        XCTAssertEqual(y[i * rows + r], Self.float(row[i]), "\(type) row \(r) value \(i)")
                    }
                }
            }
        }
    }

    func testKernelMatchesReferenceWithinFloatRounding() throws {
        try XCTSkipUnless(TileBatch.available, "this machine (or build) has no AMX-BF16 tile unit")
        let rows = 77  // one panel's partial group, and row ranges split off the panel boundary
        for type in Self.types {
            let columns = type.blockSize == 32 ? 544 : 768
            let bytes = TestData.matrixBytes(type, rows: rows, columns: columns, seed: 31 + UInt64(type.rawValue))
            try bytes.withUnsafeBytes { raw in
                let w = try WeightMatrix(type: type, rows: rows, columns: columns, data: raw.baseAddress!)
                var floats = [Float](repeating: 0, count: rows * columns)
                for r in 0..<rows { for (i, h) in try XCTUnwrap(w.bf16Row(r)).enumerated() { floats[r * columns + i] = Self.float(h) } }
                for n in [1, 13, 32, 33, 70] {
                    var x = TestData.vector(n * columns, seed: 200 + UInt64(n))
                    for i in stride(from: 3, to: x.count, by: 97) { x[i] *= 20 }
                    let batch = TileBatch(maxRows: n, maxColumns: columns)
                    batch.setShape(rows: n, columns: columns)
                    x.withUnsafeBufferPointer { batch.convert($0.baseAddress!, ldx: columns, range: 0..<n) }
                    let ldy = rows + 5
                    var fast = [Float](repeating: .nan, count: n * ldy), ref = fast
                    let scratch = UnsafeMutableRawPointer.allocate(byteCount: WeightMatrix.tileScratchBytes(columns: columns), alignment: 64)
                    defer { scratch.deallocate() }
                    fast.withUnsafeMutableBufferPointer {
                        w.multiply(batch, rows: 0..<19, into: $0.baseAddress!, ldy: ldy, scratch: scratch)
                        w.multiply(batch, rows: 19..<rows, into: $0.baseAddress!, ldy: ldy, scratch: scratch)
                    }
                    ref.withUnsafeMutableBufferPointer { w.multiplyReference(batch, rows: 0..<rows, into: $0.baseAddress!, ldy: ldy) }
                    for j in 0..<n {
                        for r in 0..<rows {
                            // Σ|w·x| of the bf16 operands bounds the f32 summation error.
                            var magnitude: Double = 0, exact: Double = 0
                            for i in 0..<columns {
                                let p = Double(floats[r * columns + i]) * Double(Self.float(batch.value(row: j, index: i)))
                                magnitude += abs(p)
                                exact += p
                            }
                            XCTAssertEqual(Double(ref[j * ldy + r]), exact, accuracy: magnitude * 1e-7 + 1e-30,
                                           "\(type) n \(n) vector \(j) row \(r): reference vs double sum")
                            XCTAssertEqual(Double(fast[j * ldy + r]), exact, accuracy: magnitude * 2e-6 + 1e-30,
                                           "\(type) n \(n) vector \(j) row \(r): kernel \(fast[j * ldy + r]) vs \(exact)")
                        }
                        for r in rows..<ldy { XCTAssertTrue(fast[j * ldy + r].isNaN, "\(type) wrote past its rows") }
                    }
                }
            }
        }
    }

    func testPanelsAndScratchSizes() {
        for k in [256, 4096, 11008, 14336] {
            let p = WeightMatrix.tilePanelRows(columns: k)
            XCTAssertEqual(p % 32, 0, "k \(k)")
            XCTAssertTrue((32...256).contains(p), "k \(k): \(p) rows")
            XCTAssertGreaterThanOrEqual(WeightMatrix.tileScratchBytes(columns: k), p * k * 2, "k \(k)")
        }
    }
}
