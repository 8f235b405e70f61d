/// Vector operations of the forward pass. All allocation-free; 16-wide SIMD where it matters.
/// `OpsReference` holds the scalar reference of each.
public enum Ops {
    typealias V = SIMD16<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Σ a[i]·b[i].
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = V(), acc1 = V()
        var i = 0
        while i + 32 <= count {
            acc0 = acc0.addingProduct(load(a + i), load(b + i))
            acc1 = acc1.addingProduct(load(a + i + 16), load(b + i + 16))
            i += 32
        }
        if i + 16 <= count {
            acc0 = acc0.addingProduct(load(a + i), load(b + i))
            i += 16
        }
        var total = (acc0 + acc1).sum()
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// y[i] += x[i].
    public static func add(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            store(load(y + i) + load(x + i), y + i)
            i += 16
        }
        while i < count { y[i] += x[i]; i += 1 }
    }

    /// y[i] += scale·x[i].
    public static func scaledAdd(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, scale: Float, count: Int) {
        let s = V(repeating: scale)
        var i = 0
        while i + 16 <= count {
            store(load(y + i).addingProduct(s, load(x + i)), y + i)
            i += 16
        }
        while i < count { y[i] += scale * x[i]; i += 1 }
    }

    /// x[i] *= scale.
    public static func scale(_ x: UnsafeMutablePointer<Float>, by scale: Float, count: Int) {
        let s = V(repeating: scale)
        var i = 0
        while i + 16 <= count {
            store(load(x + i) * s, x + i)
            i += 16
        }
        while i < count { x[i] *= scale; i += 1 }
    }
}
