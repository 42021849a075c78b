import EventRouter
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts to HTTP/S subscription endpoints with Foundation's `URLSession`, whose async API runs
/// the network I/O on its own threads (never on the cooperative pool). A post that gets no
/// answer within ``timeout`` fails (SNS waits 15 s as well).
public struct URLSessionSubscriptionClient: HTTPSubscriptionClient {
    /// How long one post may take.
    public let timeout: Double

    public init(timeout: Double = 15) { self.timeout = timeout }

    public func post(url: String, headers: [(String, String)], body: String) async -> HTTPPostResult {
        guard let target = URL(string: url), let scheme = target.scheme, scheme == "http" || scheme == "https" else {
            return .failed("'\(url)' is not an http or https URL")
        }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (_, response) = try await URLSession.shared.upload(for: request, from: Data(body.utf8))
            guard let http = response as? HTTPURLResponse else { return .failed("the answer is not HTTP") }
            return .status(http.statusCode)
        } catch {
            return .failed(error.localizedDescription)
        }
    }
}
