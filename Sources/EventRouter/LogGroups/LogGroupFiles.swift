import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The logs folder: one folder per log group (its name in ``LogGroupName/fileName(_:)`` form,
/// holding `group.json`) and one NDJSON file per log stream (`STREAM.ndjson`, one
/// ``LogEvent/line`` per line).
///
/// Blocking file I/O: the registry calls it from its own writer thread (``LogGroupRegistry``),
/// the command line from its top level; never from the cooperative pool.
public struct LogGroupFiles: Sendable {
    /// The logs folder.
    public let root: String

    public init(root: String) { self.root = root }

    /// The metadata file of each group folder.
    static let groupFile = "group.json"
    static let streamSuffix = ".ndjson"

    public func groupFolder(_ group: String) -> String { root + "/" + LogGroupName.fileName(group) }

    public func streamFile(group: String, stream: String) -> String {
        groupFolder(group) + "/" + LogGroupName.fileName(stream) + Self.streamSuffix
    }

    /// Why `name` cannot be a file name here (too long once encoded), or `nil`.
    static func fileNameProblem(_ name: String, what: String, suffix: String = "") -> String? {
        let bytes = LogGroupName.fileName(name).utf8.count + suffix.utf8.count
        guard bytes > LogGroupName.maximumFileNameBytes else { return nil }
        return "\(what) '\(name.prefix(60))…' is \(bytes) bytes long as a file name, more than the \(LogGroupName.maximumFileNameBytes) a file name may have; use a shorter name"
    }

    // MARK: - Writing

    /// Creates the group's folder and writes its `group.json`.
    func createGroup(_ group: LogGroupInfo) throws(LogGroupError) {
        try makeFolder(root)
        try makeFolder(groupFolder(group.name))
        var o = JSONObject([.init(key: "logGroupName", value: .string(group.name)),
                            .init(key: "creationTime", value: .number(JSONNumber(Int(group.creationTime))))])
        if let days = group.retentionInDays { o["retentionInDays"] = .number(JSONNumber(days)) }
        do { try AtomicFile.write(Array((JSONValue.object(o).jsonText + "\n").utf8), to: groupFolder(group.name) + "/" + Self.groupFile) } catch {
            throw LogGroupError(.serviceUnavailable, "cannot write log group '\(group.name)': \(error)")
        }
    }

    /// Appends `events` to the stream's file (creating it, empty when `events` is).
    func append(_ events: [LogEvent], group: String, stream: String) throws(LogGroupError) {
        let path = streamFile(group: group, stream: stream)
        var bytes: [UInt8] = []
        for event in events {
            bytes.append(contentsOf: event.line.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LogGroupError(.serviceUnavailable, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LogGroupError(.serviceUnavailable, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    /// Removes the group's folder and its files.
    func removeGroup(_ group: String) throws(LogGroupError) {
        do { try FileManager.default.removeItem(atPath: groupFolder(group)) } catch {
            if FileManager.default.fileExists(atPath: groupFolder(group)) {
                throw LogGroupError(.serviceUnavailable, "cannot remove \(groupFolder(group)): \(error.localizedDescription)")
            }
        }
    }

    private func makeFolder(_ path: String) throws(LogGroupError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }
            throw LogGroupError(.serviceUnavailable, "cannot use \(path) as a logs folder: it is not a folder; move it aside or pass another --logs-dir")
        }
        throw LogGroupError(.serviceUnavailable, "cannot create the logs folder \(path): \(String(cString: strerror(errno))); pass another --logs-dir")
    }

    // MARK: - Reading

    /// A group as found in the folder.
    public struct LoadedGroup: Sendable {
        public var info: LogGroupInfo
        /// Stream name → its events in file order.
        public var streams: [(name: String, events: [LogEvent])]
    }

    /// Every group and stream of the folder (none when it does not exist), and the lines and
    /// files that could not be read (skipped).
    public func load() -> (groups: [LoadedGroup], problems: [LogFileProblem]) {
        var problems: [LogFileProblem] = []
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return ([], []) }
        var groups: [LoadedGroup] = []
        for entry in entries.sorted() {
            let folder = root + "/" + entry
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { continue }
            guard let name = LogGroupName.name(fileName: entry), LogGroupName.groupNameProblem(name) == nil else {
                problems.append(LogFileProblem(file: folder, line: 0, reason: "not a log group folder (its name does not decode to a log group name); ignored"))
                continue
            }
            var info = LogGroupInfo(name: name, creationTime: 0)
            switch readGroupFile(folder + "/" + Self.groupFile) {
            case .success(let read): if let read { info.creationTime = read.creationTime; info.retentionInDays = read.retentionInDays }
            case .failure(let problem): problems.append(problem)
            }
            var loaded = LoadedGroup(info: info, streams: [])
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(Self.streamSuffix) {
                let path = folder + "/" + file
                guard let stream = LogGroupName.name(fileName: String(file.dropLast(Self.streamSuffix.count))),
                      LogGroupName.streamNameProblem(stream) == nil else {
                    problems.append(LogFileProblem(file: path, line: 0, reason: "not a log stream file (its name does not decode to a log stream name); ignored"))
                    continue
                }
                let read = Self.readEvents(path: path, from: 0, firstLine: 1, completeLinesOnly: false)
                problems += read.problems
                loaded.streams.append((stream, read.events))
            }
            groups.append(loaded)
        }
        return (groups, problems)
    }

    private func readGroupFile(_ path: String) -> Result<LogGroupInfo?, LogFileProblem> {
        let bytes: [UInt8]?
        do { bytes = try TextFile.readBytes(path) } catch { return .failure(LogFileProblem(file: path, line: 0, reason: "\(error)")) }
        guard let bytes else { return .success(nil) }
        guard case .object(let o)? = try? JSONParser.parse(bytes: bytes), let name = o["logGroupName"]?.stringValue else {
            return .failure(LogFileProblem(file: path, line: 1, reason: "not a log group file {\"logGroupName\":…,\"creationTime\":MS}; the group's creation time is taken as 0"))
        }
        var info = LogGroupInfo(name: name, creationTime: Int64(o["creationTime"]?.intValue ?? 0))
        info.retentionInDays = o["retentionInDays"]?.intValue
        return .success(info)
    }

    /// What ``readEvents(path:from:firstLine:completeLinesOnly:)`` found.
    public struct ReadResult: Sendable {
        public var events: [LogEvent] = []
        public var problems: [LogFileProblem] = []
        /// The byte offset after the last line read.
        public var offset: Int
        /// The number of the next line.
        public var nextLine: Int
    }

    /// The events of the stream file at `path` from byte `offset` (its line `firstLine`);
    /// lines that cannot be read are reported and skipped. With `completeLinesOnly`, a last
    /// line without its newline (being written) is left for the next read.
    public static func readEvents(path: String, from offset: Int, firstLine: Int, completeLinesOnly: Bool) -> ReadResult {
        var result = ReadResult(offset: offset, nextLine: firstLine)
        let all: [UInt8]?
        do { all = try TextFile.readBytes(path) } catch {
            result.problems.append(LogFileProblem(file: path, line: 0, reason: "\(error)"))
            return result
        }
        guard let all, all.count > offset else { return result }
        var end = all.count
        if completeLinesOnly {
            guard let last = all.lastIndex(of: UInt8(ascii: "\n")), last >= offset else { return result }
            end = last + 1
        }
        var start = offset
        var line = firstLine
        while start < end {
            let stop = all[start..<end].firstIndex(of: UInt8(ascii: "\n")) ?? end
            let text = String(decoding: all[start..<stop], as: UTF8.self)
            if !text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                do { result.events.append(try LogEvent(line: text)) } catch {
                    result.problems.append(LogFileProblem(file: path, line: line, reason: error.description + "; the line is skipped"))
                }
            }
            line += 1
            start = stop + 1
        }
        result.offset = min(start, end)
        result.nextLine = line
        return result
    }
}
