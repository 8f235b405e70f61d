import CKernels
import GGUF

extension WeightMatrix {
    /// Dequantizes `rows` into `dst`, row-major, `columns` floats per row (dst[0] is the first
    /// requested row).
    public func dequantize(rows: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "dequantize: rows \(rows) outside 0..<\(self.rows)")
        for (i, r) in rows.enumerated() {
            dequantizeRow(r, into: dst + i * columns)
        }
    }

    /// Dequantizes row `r` into `dst` (`columns` floats): the AVX-512 expansion when the build has
    /// it, else the Swift reference.
    @inline(__always)
    func dequantizeRow(_ r: Int, into dst: UnsafeMutablePointer<Float>) {
        if FastKernels.available,
           lt_dequantize_row(type.rawValue, row(r).assumingMemoryBound(to: UInt8.self), Int64(columns), dst) != 0 {
            return
        }
        // The type was validated in init, so this cannot throw.
        try? Dequantize.row(type, row(r), count: columns, into: dst)
    }

    /// `dequantize` through the scalar Swift reference only.
    public func dequantizeReference(rows: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= self.rows, "dequantize: rows \(rows) outside 0..<\(self.rows)")
        for (i, r) in rows.enumerated() {
            try? Dequantize.row(type, row(r), count: columns, into: dst + i * columns)
        }
    }
}
