import CKernels
import GGUF

extension WeightMatrix {
    /// Whether `multiply(_: TileBatch, ...)` runs for this matrix: AMX available and a block type
    /// with a bf16 dequantization (Q2_K ... Q6_K, Q4_0, Q4_1, Q8_0).
    public var hasTileKernel: Bool {
        TileBatch.available && lt_amx_supports(type.rawValue) != 0 && columns % 32 == 0
    }

    /// Rows the AMX product dequantizes per panel for rows of `columns` values: give each caller
    /// a multiple of it.
    public static func tilePanelRows(columns: Int) -> Int { Int(lt_amx_panel_rows(Int64(columns))) }

    /// Bytes of scratch one caller of `multiply(_: TileBatch, ...)` needs (one bf16 panel, a block
    /// and an accumulator block), 64-byte aligned by the callee.
    public static func tileScratchBytes(columns: Int) -> Int { Int(lt_amx_scratch_bytes(Int64(columns))) }

    /// The batched product on the AMX tile unit: y[j·ldy + r] = Σ_i bf16(w[r][i]) · bf16(x_j[i]) for
    /// every r in `rows` and every vector of `batch`, summed in f32. Each panel of rows is
    /// dequantized to bf16 once and multiplied with every vector; bf16 keeps 8 bits of each
    /// weight and activation, so results differ from the integer kernels by about 2⁻⁹ of each
    /// product's size (`multiplyReference` is the exact sum of the same bf16 products).
    /// Requires `hasTileKernel` (else precondition failure).
    public func multiply(_ batch: TileBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int,
                         scratch: UnsafeMutableRawPointer) {
        precondition(hasTileKernel, "multiply(TileBatch): no AMX kernel for \(type)")
        checkTileBatch(batch, rows: rows, ldy: ldy)
        if rows.isEmpty { return }
        lt_gemm_amx(type.rawValue, data.assumingMemoryBound(to: UInt8.self), Int64(rowBytes), Int64(rows.lowerBound),
                    Int64(rows.upperBound), batch.values, Int64(batch.rows), Int64(columns), y, Int64(ldy),
                    scratch.assumingMemoryBound(to: UInt8.self))
    }

    /// The same products in plain C, summed in double (the reference for `multiply(_: TileBatch, ...)`).
    public func multiplyReference(_ batch: TileBatch, rows: Range<Int>, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        precondition(lt_amx_supports(type.rawValue) != 0, "multiplyReference(TileBatch): no bf16 dequantization for \(type)")
        checkTileBatch(batch, rows: rows, ldy: ldy)
        lt_gemm_amx_ref(type.rawValue, data.assumingMemoryBound(to: UInt8.self), Int64(rowBytes), Int64(rows.lowerBound),
                        Int64(rows.upperBound), batch.values, Int64(batch.rows), Int64(columns), y, Int64(ldy))
    }

    /// Row `row` as the AMX panels hold it (bf16 bits), from the plain C reference; nil for types
    /// without a bf16 dequantization.
    public func bf16Row(_ row: Int) -> [UInt16]? {
        guard lt_amx_supports(type.rawValue) != 0, row >= 0, row < rows else { return nil }
        var out = [UInt16](repeating: 0, count: columns)
        out.withUnsafeMutableBufferPointer { o in
            lt_amx_dequant_row_ref(type.rawValue, data.assumingMemoryBound(to: UInt8.self) + row * rowBytes, Int64(columns), o.baseAddress)
        }
        return out
    }

    private func checkTileBatch(_ batch: TileBatch, rows: Range<Int>, ldy: Int) {
        precondition(batch.columns == columns, "multiply(TileBatch): batch has \(batch.columns) columns, matrix \(columns)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "multiply(TileBatch): rows \(rows) outside 0..<\(self.rows)")
        precondition(ldy >= rows.upperBound, "multiply(TileBatch): ldy \(ldy) < \(rows.upperBound)")
    }
}
