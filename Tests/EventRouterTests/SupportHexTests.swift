import Testing
@testable import EventRouter

@Suite struct SupportHexTests {
    @Test func encodesAndDecodesBothCases() {
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF], uppercase: true) == "000FA5FF")
        #expect(Hex.decode("000fA5Ff".utf8) == [0x00, 0x0F, 0xA5, 0xFF])
        #expect(Hex.decode("".utf8) == [])
    }

    @Test(arguments: ["abc", "0g", "zz", "0x"])
    func rejectsWhatIsNotHex(text: String) {
        #expect(Hex.decode(text.utf8) == nil)
    }

    @Test func spellsUUIDs() {
        #expect(Hex.uuid(Array(0..<20)) == "00010203-0405-0607-0809-0a0b0c0d0e0f")
        var random = SeededGenerator(seed: 7)
        let id = random.uuid()
        #expect(id.count == 36)
        #expect(Array(id)[14] == "4")
        #expect(id == id.lowercased())
    }
}
