import EventRouterFuzzing

/// How `eventrouter-fuzz` prints a run.
enum FuzzReportText {
    /// `json: 1000000 executions in 12.3 s (81300 exec/s), 41234 accepted, slowest 2.10 ms, seed 1: ok`
    static func line(_ r: FuzzDriver.Report, seed: UInt64) -> String {
        let rate = Int(r.executionsPerSecond.rounded())
        let slowest = (r.slowest * 1e5).rounded() / 100
        return "\(r.target): \(r.executions) executions in \(String(format1: r.seconds)) s (\(rate) exec/s), \(r.accepted) accepted, slowest \(slowest) ms, seed \(seed): \(r.failure == nil ? "ok" : "FAILED")"
    }

    /// Printable ASCII as is, everything else as `\xHH` (and the backslash doubled).
    static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            if b == 0x5C {
                out += "\\\\"
            } else if b >= 0x20 && b < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

extension String {
    /// `x` with one decimal.
    init(format1 x: Double) {
        let tenths = (x * 10).rounded()
        self = "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
