import EventRouter
import Testing
@testable import EventRouterHTTP

/// ``QueryString/decodeForm(_:)`` reads well-formed bodies in one pass over the bytes; it must give
/// exactly what the careful item-by-item decoding gives, and every body that pass cannot decode
/// must still be refused with the careful path's message.
@Suite struct FormDecodingFastPathTests {
    /// The careful decoding: split on `&`, skip empty items, decode name and value.
    static func reference(_ body: [UInt8]) throws -> [(String, String)] {
        var result: [(String, String)] = []
        for item in body.split(separator: 0x26, omittingEmptySubsequences: false) where !item.isEmpty {
            let eq = item.firstIndex(of: 0x3D)
            let name = eq.map { item[..<$0] } ?? item[...]
            let value = eq.map { item[($0 + 1)...] } ?? []
            result.append((try PercentEncoding.decode(name, plusAsSpace: true), try PercentEncoding.decode(value, plusAsSpace: true)))
        }
        return result
    }

    @Test(arguments: [
        "", "&", "&&a=1&&", "a", "a=", "=v", "=", "a=1&b=2", "a=b=c", "Action=Publish&Version=2010-03-31",
        "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At&Message=x+y%2Bz",
        "MessageAttributes.entry.1.Value.StringValue=%C3%A4%F0%9F%98%80", "n=%41%62%2b", "ü=ö&x=%E2%82%AC",
        "Message=" + String(repeating: "x", count: 300) + "&Subject=s",
        "a=%00%7F%7e+%2B+b&%3D=%26", "k=" + String(repeating: "%3A", count: 40) + "&v=%c3%a4x", "e=%41",
    ])
    func wellFormedBodiesDecodeAsTheCarefulPathDoes(body: String) throws {
        let bytes = Array(body.utf8)
        let fast = try QueryString.decodeForm(bytes)
        let careful = try Self.reference(bytes)
        #expect(fast.map { "\($0.0)\u{0}\($0.1)" } == careful.map { "\($0.0)\u{0}\($0.1)" })
    }

    @Test(arguments: [
        ("A=1&Name=%FF", "invalid form encoding in parameter 'Name' (body offset 4): the decoded bytes are not UTF-8 ('%FF')"),
        ("A=%4", "invalid form encoding in parameter 'A' (body offset 0): '%' must be followed by two hex digits ('%4')"),
        ("A=1&B%zz=2", "invalid form encoding in parameter 'B%zz' (body offset 4): '%' must be followed by two hex digits ('%zz')"),
        ("Message=ok&T=%", "invalid form encoding in parameter 'T' (body offset 11): '%' must be followed by two hex digits ('%')"),
        ("A=x%3A%80", "invalid form encoding in parameter 'A' (body offset 0): the decoded bytes are not UTF-8 ('x%3A%80')"),
    ])
    func malformedBodiesKeepTheCarefulMessage(body: String, message: String) {
        #expect(throws: FormDecodingError(message: message)) { try QueryString.decodeForm(Array(body.utf8)) }
    }

    @Test func rawBytesThatAreNotUTF8AreRefused() {
        let body: [UInt8] = Array("A=1&N=".utf8) + [0xC3]
        #expect(throws: FormDecodingError.self) { try QueryString.decodeForm(body) }
        #expect((try? Self.reference(body)) == nil)
    }
}
