import EventRouter
import Testing
@testable import EventRouterHTTP

/// Form decoding, JSON member types and the access-key file.
@Suite struct ProtocolInputTests {
    @Test func decodesFormBodiesWithPlusAsSpaceAndUTF8() throws {
        let pairs = try QueryString.decodeForm(Array("Message=hello+world+%26+more&Name=%C3%A4%F0%9F%98%80&Empty=&Flag".utf8))
        #expect(pairs.map { "\($0.0)=\($0.1)" } == ["Message=hello world & more", "Name=ä😀", "Empty=", "Flag="])
        #expect(throws: FormDecodingError(message: "invalid form encoding in parameter 'Name' (body offset 4): the decoded bytes are not UTF-8 ('%FF')")) {
            try QueryString.decodeForm(Array("A=1&Name=%FF".utf8))
        }
    }

    @Test func readsJSONMembersWithAWSErrors() throws {
        let input = try JSONInput(body: Array(#"{"Name":"n","Limit":"10","Entries":[1],"Flag":true}"#.utf8))
        #expect(try input.string("Name") == "n")
        #expect(try input.boolean("Flag") == true)
        #expect(try input.list("Entries")?.count == 1)
        #expect(throws: AWSError.serialization("member 'Limit' must be a whole number, not string")) { try input.integer("Limit") }
        #expect(throws: AWSError.validation("1 validation error detected: Value null at 'EventBusName' failed to satisfy constraint: Member must not be null")) {
            try input.string("EventBusName", required: true)
        }
        #expect(try JSONInput(body: []).object.isEmpty)
    }
}
