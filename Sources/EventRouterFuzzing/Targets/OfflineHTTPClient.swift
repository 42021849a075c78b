import EventRouter

/// The network as the fuzzer sees it: every post and every API destination call fails at once.
struct OfflineHTTPClient: HTTPClient, HTTPSubscriptionClient {
    func send(_ request: HTTPClientRequest, timeout: Duration) async -> Result<HTTPClientResponse, HTTPClientFailure> {
        .failure(.connection("the endpoint fuzz target has no network"))
    }

    func post(url: String, headers: [(String, String)], body: String) async -> HTTPPostResult {
        .failed("the endpoint fuzz target has no network")
    }
}
