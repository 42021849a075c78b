#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes: the table goes to standard output line by line, diagnostics to standard error.
enum Console {
    static func out(_ text: String) { write(text + "\n", to: 1) }
    static func err(_ text: String) { write(text, to: 2) }

    private static func write(_ text: String, to fd: Int32) {
        var copy = text
        copy.withUTF8 { buf in
            guard let base = buf.baseAddress else { return }
            var offset = 0
            while offset < buf.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, base + offset, buf.count - offset)
                #else
                let n = Darwin.write(fd, base + offset, buf.count - offset)
                #endif
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

extension [String] {
    /// The whole number after `--NAME` in these arguments, or `fallback` when it is missing or
    /// not a number.
    func intOption(_ name: String, _ fallback: Int) -> Int {
        guard let i = firstIndex(of: "--" + name), i + 1 < count, let v = Int(self[i + 1]) else { return fallback }
        return v
    }

    /// The text after `--NAME` in these arguments, or `nil`.
    func stringOption(_ name: String) -> String? {
        guard let i = firstIndex(of: "--" + name), i + 1 < count else { return nil }
        return self[i + 1]
    }
}
