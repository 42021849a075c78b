import Foundation
import Testing
@testable import EventRouter

@Suite struct SupportTextFileTests {
    @Test func writesAtomicallyAndReadsBack() throws {
        let folder = try FunctionTempFolder()
        let path = folder.path + "/state.json"
        #expect(try TextFile.read(path) == nil)
        try TextFile.write("{\"a\": 1}\n", to: path)
        #expect(try TextFile.read(path) == "{\"a\": 1}\n")
        try TextFile.write("é", to: path)
        #expect(try TextFile.readBytes(path) == [0xC3, 0xA9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["state.json"])
    }

    @Test func saysWhichFileItCannotWrite() throws {
        let folder = try FunctionTempFolder()
        let path = folder.path + "/missing-folder/state.json"
        let error = #expect(throws: TextFileError.self) { try TextFile.write("x", to: path) }
        #expect(error?.description == "cannot write \(path): the folder '\(folder.path)/missing-folder' does not exist; create it first or write elsewhere")
    }

    @Test func saysWhichFileItCannotOpenOrRead() throws {
        let folder = try FunctionTempFolder()
        try TextFile.write("x", to: folder.path + "/plain")
        let openError = #expect(throws: TextFileError.self) { try TextFile.read(folder.path + "/plain/x") }
        #expect(openError?.description == "cannot open \(folder.path)/plain/x: Not a directory")
        let readError = #expect(throws: TextFileError.self) { try TextFile.read(folder.path) }
        #expect(readError?.description == "cannot read \(folder.path): it is a directory, not a regular file")
    }
}

/// Issue 10 item 3: only regular files are read, with a size limit; everything else is an
/// error naming the path; text that is not UTF-8 is refused with its line and byte.
@Suite struct SupportTextFileKindTests {
    @Test func pipesDevicesFoldersAndBrokenLinksAreErrorsNamingThePath() throws {
        let folder = try FunctionTempFolder()
        let p = folder.path
        #expect(mkfifo(p + "/pipe.json", 0o600) == 0)
        #expect(symlink("/dev/zero", p + "/zero.json") == 0)
        #expect(symlink(p + "/missing", p + "/dangling.json") == 0)
        #expect(symlink(p + "/loop.json", p + "/loop.json") == 0)
        #expect(mkdir(p + "/dir.json", 0o700) == 0)
        let expected = [
            ("pipe.json", "it is a named pipe, not a regular file"),
            ("zero.json", "it is a character device, not a regular file"),
            ("dangling.json", "it is a symbolic link to a file that does not exist"),
            ("loop.json", "it is a loop of symbolic links"),
            ("dir.json", "it is a directory, not a regular file"),
        ]
        for (name, reason) in expected {
            let error = #expect(throws: TextFileError.self) { try TextFile.readBytes(p + "/" + name) }
            #expect(error?.description == "cannot read \(p)/\(name): \(reason)")
        }
        try TextFile.write("12345", to: p + "/big")
        let big = #expect(throws: TextFileError.self) { try TextFile.readBytes(p + "/big", limit: 4) }
        #expect(big?.description == "cannot read \(p)/big: it holds 5 bytes, more than the limit of 4 bytes")
        #expect(try TextFile.readBytes(p + "/big", limit: 5) == Array("12345".utf8))
        #expect(symlink(p + "/big", p + "/link") == 0)
        #expect(try TextFile.read(p + "/link") == "12345")
    }

    @Test func workspaceRuleFilesReportWhatTheyCannotRead() throws {
        let folder = try FunctionTempFolder()
        #expect(mkdir(folder.path + "/Rules", 0o700) == 0)
        #expect(mkdir(folder.path + "/Rules/x.json", 0o700) == 0)
        #expect(symlink(folder.path + "/nothing", folder.path + "/Rules/y.json") == 0)
        #expect(mkfifo(folder.path + "/Rules/z.json", 0o600) == 0)
        let files = WorkspaceRuleFiles(directory: folder.path)
        #expect(files.files.isEmpty)
        #expect(files.problems.map(\.description) == [
            "Rules/x.json: $: error: cannot read \(folder.path)/Rules/x.json: it is a directory, not a regular file",
            "Rules/y.json: $: error: cannot read \(folder.path)/Rules/y.json: it is a symbolic link to a file that does not exist",
            "Rules/z.json: $: error: cannot read \(folder.path)/Rules/z.json: it is a named pipe, not a regular file",
        ])
    }

    @Test func textThatIsNotUTF8IsRefusedWithLineAndByte() throws {
        let folder = try FunctionTempFolder()
        let path = folder.path + "/state.json"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Array("{\n  \"a\": \"ok\",\r\n  \"b\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8))))
        let error = #expect(throws: TextFileError.self) { try TextFile.read(path) }
        #expect(error?.description == "\(path) is not UTF-8 text: line 3, byte 9 (offset 24 in the file) is not valid UTF-8; save it as UTF-8")
        let argument = #expect(throws: TextFileError.self) { try TextFile.argument("@" + path) }
        #expect(argument == error)
        #expect(try TextFile.argument("{}") == "{}")
        let missing = #expect(throws: TextFileError.self) { try TextFile.argument("@" + folder.path + "/none") }
        #expect(missing?.description == "cannot read \(folder.path)/none: it does not exist")
    }

    @Test func aPipeIsReadToItsEnd() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let text = Array("{\"a\":1}\r\n".utf8)
        #expect(text.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } == text.count)
        close(fds[1])
        defer { close(fds[0]) }
        #expect(try TextFile.readBytes(fileDescriptor: fds[0], name: "standard input") == text)
    }
}

@Suite struct SupportTextLinesTests {
    @Test func lfAndCrlfSplitAlike() {
        let lf = TextLines.ranges(in: Array("a\n\n  \nbb\nc".utf8))
        let crlf = TextLines.ranges(in: Array("a\r\n\r\n  \r\nbb\r\nc".utf8))
        #expect(lf.map(\.line) == [1, 4, 5])
        #expect(crlf.map(\.line) == [1, 4, 5])
        #expect(lf.map(\.range.count) == [1, 2, 1])
        #expect(crlf.map(\.range.count) == [1, 2, 1])
        #expect(TextLines.ranges(in: Array("a\r\n\r\n".utf8), skippingBlank: false).map(\.line) == [1, 2])
    }

    @Test func chunksSplitAnywhereGiveTheSameLines() {
        let text = Array("one\r\ntwo\n\r\nthree".utf8)
        for cut in 0...text.count {
            var lines: [String] = []
            var accumulator = LineAccumulator()
            accumulator.append(text[..<cut]) { lines.append(String(decoding: $0, as: UTF8.self)) }
            accumulator.append(text[cut...]) { lines.append(String(decoding: $0, as: UTF8.self)) }
            accumulator.finish { lines.append(String(decoding: $0, as: UTF8.self)) }
            #expect(lines == ["one", "two", "", "three"], "cut at \(cut)")
        }
    }

    @Test(arguments: [
        ([0x61, 0xC3, 0xA9], nil as Int?), ([0x61, 0xFF], 1), ([0xC0, 0x80], 0), ([0xED, 0xA0, 0x80], 0),
        ([0xF4, 0x90, 0x80, 0x80], 0), ([0xE2, 0x82], 0), ([0xF0, 0x9F, 0x98, 0x80, 0x80], 4),
    ])
    func findsTheFirstByteThatIsNotUTF8(bytes: [UInt8], offset: Int?) {
        #expect(TextLines.firstInvalidUTF8(in: bytes) == offset)
        #expect((String(validating: bytes, as: UTF8.self) == nil) == (offset != nil))
    }
}
