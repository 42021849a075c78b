import EventRouter
import Testing
@testable import EventRouterHTTP

/// `MD5OfMessageBody` and `MD5OfMessageAttributes` against AWS's published vectors (wire.md §7.1).
@Suite struct SQSMessageMD5Tests {
    static let string: [String: MessageAttributeValue] = ["attribName1": .string("attribValue 1")]
    static let number: [String: MessageAttributeValue] = ["customNumberTypeAttrib": MessageAttributeValue(dataType: "Number.float", stringValue: "4563442423554324324264524243.32543234")]
    static let binary: [String: MessageAttributeValue] = ["binaryAttribute": .binary(Array("Hello binary world!".utf8))]

    @Test(arguments: [
        (string, "19e27d4e946b072f3f58da80d94fd778"),
        (number, "9fe1b90bbd9965bdf77bac517c7d2495"),
        (binary, "31a92b15d92f8db860eda32aceb656c3"),
        (string.merging(number) { a, _ in a }.merging(binary) { a, _ in a }, "c932db14a896c663f83c260297d594ff"),
    ])
    func attributeDigestsMatchAWSVectors(_ attributes: [String: MessageAttributeValue], _ md5: String) {
        #expect(SQSMessageMD5.attributes(attributes) == md5)
    }

    @Test func bodyDigestIsTheMD5OfTheUTF8Bytes() {
        #expect(SQSMessageMD5.body("hello") == "5d41402abc4b2a76b9719d911017c592")
        #expect(SQSMessageMD5.body("Grüße 😀") == Hex.encode(MD5.digest(Array("Grüße 😀".utf8))))
    }

    @Test func noAttributesMeansNoDigest() {
        #expect(SQSMessageMD5.attributes([:]) == nil)
    }
}
