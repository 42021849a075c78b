import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPClient`` over Foundation's `URLSession` (so `https` works): the request runs on the
/// session's own threads and resumes the caller through a continuation, never blocking the
/// cooperative pool. The timeout is the session's (network I/O happens in real time, also
/// under `--virtual-time`, as function handlers do).
public final class URLSessionHTTPClient: HTTPClient {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: HTTPClientRequest, timeout: Duration) async -> Result<HTTPClientResponse, HTTPClientFailure> {
        guard let url = URL(string: request.url), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            return .failure(.badURL("'\(request.url)' is not an http or https URL"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        let session = self.session
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPClientResponse, HTTPClientFailure>, Never>) in
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    let ns = error as NSError
                    if ns.domain == NSURLErrorDomain, ns.code == NSURLErrorTimedOut {
                        continuation.resume(returning: .failure(.timeout))
                    } else {
                        continuation.resume(returning: .failure(.connection(ns.localizedDescription)))
                    }
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    continuation.resume(returning: .failure(.connection("the answer was not HTTP")))
                    return
                }
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String, let v = v as? String { headers[k] = v }
                }
                continuation.resume(returning: .success(HTTPClientResponse(status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? [])))
            }
            task.resume()
        }
    }
}
