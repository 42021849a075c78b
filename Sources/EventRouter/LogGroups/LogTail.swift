import Foundation

/// `eventrouter logs tail GROUP`: reads a log group's stream files in a logs folder, each poll
/// the lines written since the last, in timestamp order, as
/// `TIME STREAM MESSAGE` lines (what `aws logs tail` prints).
///
/// A line that cannot be read is reported (file and line) and skipped; a line still being
/// written (no newline yet) waits for the next poll. Blocking file reads: call it from the
/// command line's top level (``follow(clock:interval:emit:report:)`` sleeps on the injected clock).
public struct LogTail: Sendable {
    public let files: LogGroupFiles
    public let group: String
    /// Events before this time are not shown.
    public var since: Timestamp?
    /// Only matching messages are shown.
    public var pattern: LogFilterPattern?
    private var positions: [String: (offset: Int, line: Int)] = [:]

    /// - Throws: `ResourceNotFoundException` naming the folder when the group has none (with the groups it has).
    public init(root: String, group: String, since: Timestamp? = nil, pattern: LogFilterPattern? = nil) throws(LogGroupError) {
        files = LogGroupFiles(root: root)
        self.group = group
        self.since = since
        self.pattern = pattern
        if let problem = LogGroupName.groupNameProblem(group) { throw LogGroupError(.invalidParameter, problem) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: files.groupFolder(group), isDirectory: &isFolder), isFolder.boolValue else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { LogGroupName.name(fileName: $0) }.sorted()
            var message = "no log group '\(group)' in \(root) (no folder \(files.groupFolder(group)))"
            message += names.isEmpty ? "; it holds no log groups" : "; it holds: \(names.joined(separator: ", "))"
            throw LogGroupError(.resourceNotFound, message)
        }
    }

    /// The events written since the last poll (all on the first), in timestamp order, and the
    /// lines that could not be read.
    public mutating func poll() -> (events: [(stream: String, event: LogEvent)], problems: [LogFileProblem]) {
        let folder = files.groupFolder(group)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(LogGroupFiles.streamSuffix) }.sorted()
        var out: [(String, LogEvent)] = []
        var problems: [LogFileProblem] = []
        for file in names {
            guard let stream = LogGroupName.name(fileName: String(file.dropLast(LogGroupFiles.streamSuffix.count))) else { continue }
            let position = positions[file] ?? (0, 1)
            let read = LogGroupFiles.readEvents(path: folder + "/" + file, from: position.offset, firstLine: position.line, completeLinesOnly: true)
            positions[file] = (read.offset, read.nextLine)
            problems += read.problems
            for event in read.events {
                if let since, event.timestamp < since.millisecondsSinceEpoch { continue }
                if let pattern, !pattern.matches(event.message) { continue }
                out.append((stream, event))
            }
        }
        // A stable sort: equal timestamps keep stream-name, then file, order.
        let ordered = out.enumerated().sorted { ($0.element.1.timestamp, $0.offset) < ($1.element.1.timestamp, $1.offset) }.map(\.element)
        return (ordered.map { (stream: $0.0, event: $0.1) }, problems)
    }

    /// `2024-01-01T00:00:00.000Z STREAM MESSAGE`
    public static func line(stream: String, event: LogEvent) -> String {
        let time = (try? Timestamp(millisecondsSinceEpoch: event.timestamp))?.iso8601Milliseconds ?? String(event.timestamp)
        return "\(time) \(stream) \(event.message)"
    }

    /// Polls now and then every `interval` on `clock` until the task is cancelled, handing each
    /// event's line to `emit` and each unreadable line to `report`.
    public mutating func follow(clock: any EventClock, interval: Duration = .seconds(1),
                                emit: (String) -> Void, report: (LogFileProblem) -> Void) async {
        while !Task.isCancelled {
            let (events, problems) = poll()
            for problem in problems { report(problem) }
            for e in events { emit(Self.line(stream: e.stream, event: e.event)) }
            do { try await clock.sleep(for: interval) } catch { return }
        }
    }

    /// `--since`: a duration before `now` (`30s`, `10m`, `2h`, `1d`, `1w`) or an ISO 8601 time.
    /// - Throws: `InvalidParameterException` saying what is accepted.
    public static func since(_ text: String, now: Timestamp) throws(LogGroupError) -> Timestamp {
        if let time = Timestamp(iso8601: text) { return time }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let seconds = units[unit], let n = Int64(text.dropLast()), n >= 0,
              case let (product, overflow) = n.multipliedReportingOverflow(by: seconds * 1_000_000_000), !overflow else {
            throw LogGroupError(.invalidParameter, "--since '\(text)' is not a duration like 30s, 10m, 2h, 1d or 1w, nor an ISO 8601 time like 2024-01-01T00:00:00Z")
        }
        return now - .nanoseconds(product)
    }
}
