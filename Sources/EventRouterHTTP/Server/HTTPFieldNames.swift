#if canImport(Glibc)
import Glibc
#endif

/// The field names clients send on every request (boto3 and the AWS CLI; the other AWS SDKs
/// lower-case), as `String` constants: a parsed name spelled exactly as one of them is that
/// constant, with no `String` to build and validate.
enum HTTPFieldNames {
    /// Every name ``known(_:count:)`` knows, in the order it tries them.
    static let all = ["Host", "host", "Accept", "Expect", "accept", "expect", "User-Agent", "X-Amz-Date", "Connection", "user-agent", "x-amz-date", "connection", "Content-Type", "X-Amz-Target", "content-type", "x-amz-target", "Authorization", "authorization", "Content-Length", "content-length", "Accept-Encoding", "amz-sdk-request", "accept-encoding", "x-amz-user-agent", "X-Amz-User-Agent", "Transfer-Encoding", "transfer-encoding", "X-Amz-Content-Sha256", "X-Amz-Security-Token", "x-amz-content-sha256", "x-amz-security-token", "amz-sdk-invocation-id"]

    /// The constant spelled exactly as the `count` bytes at `name`, if there is one.
    static func known(_ name: UnsafePointer<UInt8>, count: Int) -> String? {
        switch count {
        case 4:
            if equal(name, count, "Host") { return "Host" }
            if equal(name, count, "host") { return "host" }
        case 6:
            if equal(name, count, "Accept") { return "Accept" }
            if equal(name, count, "Expect") { return "Expect" }
            if equal(name, count, "accept") { return "accept" }
            if equal(name, count, "expect") { return "expect" }
        case 10:
            if equal(name, count, "User-Agent") { return "User-Agent" }
            if equal(name, count, "X-Amz-Date") { return "X-Amz-Date" }
            if equal(name, count, "Connection") { return "Connection" }
            if equal(name, count, "user-agent") { return "user-agent" }
            if equal(name, count, "x-amz-date") { return "x-amz-date" }
            if equal(name, count, "connection") { return "connection" }
        case 12:
            if equal(name, count, "Content-Type") { return "Content-Type" }
            if equal(name, count, "X-Amz-Target") { return "X-Amz-Target" }
            if equal(name, count, "content-type") { return "content-type" }
            if equal(name, count, "x-amz-target") { return "x-amz-target" }
        case 13:
            if equal(name, count, "Authorization") { return "Authorization" }
            if equal(name, count, "authorization") { return "authorization" }
        case 14:
            if equal(name, count, "Content-Length") { return "Content-Length" }
            if equal(name, count, "content-length") { return "content-length" }
        case 15:
            if equal(name, count, "Accept-Encoding") { return "Accept-Encoding" }
            if equal(name, count, "amz-sdk-request") { return "amz-sdk-request" }
            if equal(name, count, "accept-encoding") { return "accept-encoding" }
        case 16:
            if equal(name, count, "x-amz-user-agent") { return "x-amz-user-agent" }
            if equal(name, count, "X-Amz-User-Agent") { return "X-Amz-User-Agent" }
        case 17:
            if equal(name, count, "Transfer-Encoding") { return "Transfer-Encoding" }
            if equal(name, count, "transfer-encoding") { return "transfer-encoding" }
        case 20:
            if equal(name, count, "X-Amz-Content-Sha256") { return "X-Amz-Content-Sha256" }
            if equal(name, count, "X-Amz-Security-Token") { return "X-Amz-Security-Token" }
            if equal(name, count, "x-amz-content-sha256") { return "x-amz-content-sha256" }
            if equal(name, count, "x-amz-security-token") { return "x-amz-security-token" }
        case 21:
            if equal(name, count, "amz-sdk-invocation-id") { return "amz-sdk-invocation-id" }
        default: break
        }
        return nil
    }

    /// Whether the `count` bytes at `name` are `literal`'s.
    @inline(__always)
    private static func equal(_ name: UnsafePointer<UInt8>, _ count: Int, _ literal: StaticString) -> Bool {
        literal.utf8CodeUnitCount == count && memcmp(name, literal.utf8Start, count) == 0
    }
}
