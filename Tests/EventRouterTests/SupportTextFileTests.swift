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
        #expect(readError?.description == "cannot read \(folder.path)")
    }
}
