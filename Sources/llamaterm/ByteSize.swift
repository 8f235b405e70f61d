import ArgumentParser
import Foundation

/// A size in bytes given on the command line: `4G`, `512M`, `1.5GiB`, `800k`, or plain bytes
/// (K, M, G and T are powers of 1024, with or without a trailing `B`/`iB`).
struct ByteSize: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where text.hasSuffix(suffix) && text.count > suffix.count {
            text.removeLast(suffix.count)
            break
        }
        let units: [Character: Double] = ["K": 1024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var scale = 1.0
        if let last = text.last, let u = units[last] { scale = u; text.removeLast() }
        guard let value = Double(text), value.isFinite, value >= 0, value * scale < Double(Int.max / 2) else { return nil }
        bytes = Int((value * scale).rounded())
    }

    var description: String { ModelSummary.bytes(bytes) }
}
