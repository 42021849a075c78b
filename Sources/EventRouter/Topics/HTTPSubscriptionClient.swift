import Synchronization

/// Posts SNS messages to the URLs of HTTP/S subscriptions. `eventrouter run` installs one that
/// speaks HTTP over the network (off the cooperative pool); tests install doubles.
public protocol HTTPSubscriptionClient: Sendable {
    /// POSTs `body` to `url` with `headers`, answering the response status or why there is none.
    func post(url: String, headers: [(String, String)], body: String) async -> HTTPPostResult
}

/// What one POST to a subscription endpoint came to.
public enum HTTPPostResult: Sendable, Hashable {
    /// The endpoint answered with this status.
    case status(Int)
    /// No answer: connection refused, timed out, or the URL cannot be reached.
    case failed(String)
}

/// The HTTP/S side of a topic: builds SNS's headers, posts through the installed
/// ``HTTPSubscriptionClient`` and maps the answer onto a ``DeliveryOutcome`` with SNS's rules:
/// 2xx is delivered; 429, 5xx and no answer at all are server-side errors, retried by the
/// subscription's delivery policy; any other status is a client-side error (dead-lettered at once).
public final class HTTPSubscriptionSink: Sendable {
    /// The kinds of message SNS posts (`x-amz-sns-message-type`).
    public enum MessageType: String, Sendable {
        /// A published message.
        case notification = "Notification"
        /// The handshake message asking the endpoint to confirm a new subscription.
        case subscriptionConfirmation = "SubscriptionConfirmation"
    }

    private let client = Mutex<(any HTTPSubscriptionClient)?>(nil)
    private let wake = Mutex<WakeSignal?>(nil)
    /// Where posts nobody waits for run (confirmation messages), made on first use.
    private let background = Mutex<OwnedTaskGroup?>(nil)

    /// A sink with no client: every post fails with `EndpointUnavailable` until ``use(_:)``.
    public init() {}

    /// Installs the client posts go through.
    /// - Parameter retriesWake: on a real clock, the driver's wake signal: HTTP/S retries then run
    ///   in the sink's own task group instead of inside the driver's step (a slow endpoint holds
    ///   nothing up), and signal it when they schedule another retry. `nil` (virtual time, tests):
    ///   retries run in the driver's step, in order, deterministically.
    public func use(_ client: any HTTPSubscriptionClient, retriesWake: WakeSignal? = nil) {
        self.client.withLock { $0 = client }
        wake.withLock { $0 = retriesWake }
    }

    /// The driver's wake signal when retries run beside the driver (see ``use(_:retriesWake:)``).
    var retryWake: WakeSignal? { wake.withLock { $0 } }

    /// Runs `work` (a post nobody waits for) as a child of the sink's own task group.
    func inBackground(_ work: @escaping OwnedTaskGroup.Work) {
        let group = background.withLock { g in
            if let g { return g }
            let made = OwnedTaskGroup()
            g = made
            return made
        }
        group.add(work)
    }

    /// Posts one message to `subscription`'s endpoint with SNS's headers (`x-amz-sns-message-type`,
    /// `-message-id`, `-topic-arn`, `-subscription-arn` for notifications, `-rawdelivery` when raw).
    public func post(_ type: MessageType, to subscription: SubscriptionConfiguration, messageId: String, topicArn: String,
                     body: String) async -> DeliveryOutcome {
        guard let client = client.withLock({ $0 }) else {
            return .nonRetriable(code: "EndpointUnavailable", message: "no HTTP client is installed, so \(subscription.endpoint) cannot be posted to")
        }
        var headers: [(String, String)] = [
            ("Content-Type", "text/plain; charset=UTF-8"), ("x-amz-sns-message-type", type.rawValue),
            ("x-amz-sns-message-id", messageId), ("x-amz-sns-topic-arn", topicArn),
        ]
        if type == .notification {
            headers.append(("x-amz-sns-subscription-arn", subscription.arn))
            if subscription.rawMessageDelivery { headers.append(("x-amz-sns-rawdelivery", "true")) }
        }
        switch await client.post(url: subscription.endpoint, headers: headers, body: body) {
        case .status(let code) where (200...299).contains(code):
            return .success
        case .status(let code) where code == 429 || code >= 500:
            return .retriable(code: "HTTP\(code)", message: "\(subscription.endpoint) answered HTTP \(code)")
        case .status(let code):
            return .nonRetriable(code: "HTTP\(code)", message: "\(subscription.endpoint) answered HTTP \(code) (a client-side error, not retried)")
        case .failed(let reason):
            return .retriable(code: "EndpointUnavailable", message: "\(subscription.endpoint) could not be reached: \(reason)")
        }
    }
}
