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

    @Test func readsAccessKeyFilesAndNamesEachProblem() {
        let good = try! JSONValue(parsing: #"{"Accounts":[{"Id":"111122223333","AccessKeys":[{"AccessKeyId":"AKID1","SecretAccessKey":"s1"}]}]}"#)
        let (table, problems) = AccessKeyTable.parse(good)
        #expect(problems.isEmpty)
        #expect(table.account(for: "AKID1") == "111122223333")
        #expect(table.account(for: "999988887777") == "999988887777")
        #expect(table.account(for: "AKIAOTHER") == "123456789012")

        let bad = try! JSONValue(parsing: #"{"Accounts":[{"Id":"12","AccessKeys":[]},{"Id":"111122223333","AccessKeys":[{"AccessKeyId":"K"},{"AccessKeyId":"K","SecretAccessKey":"s"}]},{"Id":"444455556666","AccessKeys":[{"AccessKeyId":"K","SecretAccessKey":"t"}]}]}"#)
        #expect(AccessKeyTable.parse(bad).1 == [
            "$.Accounts[0].Id: must be a 12-digit account id in quotes",
            "$.Accounts[1].AccessKeys[0].SecretAccessKey: must be a non-empty string",
            "$.Accounts[2].AccessKeys[0].AccessKeyId: 'K' is already a key of account 111122223333; a key acts for one account",
        ])
        #expect(AccessKeyTable.parse(.array([])).1 == [#"$: the access-key file must be an object like {"Accounts": [...]}, not array"#])
    }
}
