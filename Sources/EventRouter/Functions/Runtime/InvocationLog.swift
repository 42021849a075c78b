import Synchronization

/// The log of one invocation, kept when the caller asked for it (Lambda's `LogType: Tail`):
/// what the handler wrote (a process function's stderr, a Swift handler's
/// ``FunctionContext/log(_:)`` lines), framed by Lambda's `START` / `END` / `REPORT` lines.
/// Keeps only the last ``limit`` bytes.
public final class InvocationLog: Sendable {
    /// The most bytes kept (Lambda returns the last 4 KB).
    public static let limit = 4096
    private let bytes = Mutex<[UInt8]>([])

    public init() {}

    /// Appends `text` (a newline is added when it lacks one).
    public func append(_ text: some Collection<UInt8>) {
        guard !text.isEmpty else { return }
        bytes.withLock { b in
            b.append(contentsOf: text)
            if b.last != 0x0A { b.append(0x0A) }
            if b.count > Self.limit * 2 { b.removeFirst(b.count - Self.limit) }
        }
    }

    /// Appends a line of text.
    public func append(line: String) { append(Array(line.utf8)) }

    /// The last ``limit`` bytes.
    public var tail: [UInt8] { bytes.withLock { Array($0.suffix(Self.limit)) } }

    /// Lambda's framing around the handler's output: `START RequestId: … Version: $LATEST`
    /// before it, `END` and `REPORT` (duration, memory size) after it.
    public static func framed(_ body: [UInt8], requestId: String, duration: Duration, memorySize: Int) -> [UInt8] {
        let ms = Double(duration.nanoseconds) / 1e6
        let billed = max(1, Int(ms.rounded(.up)))
        var out = Array("START RequestId: \(requestId) Version: $LATEST\n".utf8)
        out += body
        out += Array("END RequestId: \(requestId)\n".utf8)
        out += Array("REPORT RequestId: \(requestId)\tDuration: \(String(format2: ms)) ms\tBilled Duration: \(billed) ms\tMemory Size: \(memorySize) MB\tMax Memory Used: \(memorySize) MB\t\n".utf8)
        return Array(out.suffix(limit))
    }
}

extension String {
    /// `value` with two decimals (no Foundation).
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, frac = hundredths % 100
        self = "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}

extension InvocationLog: Equatable {
    /// Two logs are equal when they are the same log.
    public static func == (lhs: InvocationLog, rhs: InvocationLog) -> Bool { lhs === rhs }
}
