import Foundation

/// Times are stored as integer milliseconds since 1970 (UTC), so they sort, compare and
/// round-trip through exports exactly. Exports show them as ISO 8601 with milliseconds.
enum Timestamp {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    static func now() -> Int64 { millis(Date()) }

    /// `2026-11-27T08:49:50.123Z`.
    static func iso(_ millis: Int64) -> String {
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
            Int(parts.tm_sec), ms)
    }

    static func iso(_ date: Date) -> String { iso(millis(date)) }

    /// Parses ISO 8601 UTC times with or without fractional seconds (`...:50Z`, `...:50.1Z`,
    /// `...:50.123Z`); nil for anything else.
    static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= utf8.count else { return nil }
            var value = 0
            for b in utf8[from..<(from + count)] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard utf8.count >= 20, let year = number(0, 4), utf8[4] == 45, let month = number(5, 2),
              utf8[7] == 45, let day = number(8, 2), utf8[10] == 84 || utf8[10] == 32,
              let hour = number(11, 2), utf8[13] == 58, let minute = number(14, 2), utf8[16] == 58,
              let second = number(17, 2), utf8.last == 90 /* Z */ else { return nil }
        var ms = 0
        if utf8[19] == 46 {  // '.'
            let digits = utf8.count - 1 - 20
            guard digits >= 1, let frac = number(20, digits) else { return nil }
            let scaled = digits >= 3 ? frac / Int(pow(10, Double(digits - 3))) : frac * Int(pow(10, Double(3 - digits)))
            ms = scaled
        } else if utf8.count != 20 {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return date(Int64(seconds) * 1000 + Int64(ms))
    }
}
