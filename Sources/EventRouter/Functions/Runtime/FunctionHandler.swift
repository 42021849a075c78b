/// A handler function at the byte level: JSON in, JSON out.
///
/// Every runtime (in-process Swift, external processes) conforms; typed handlers
/// (``CodableFunctionHandler``) and closures (``ClosureFunctionHandler``) adapt to it.
public protocol FunctionHandler: Sendable {
    /// Handles one invocation.
    /// - Parameters:
    ///   - payload: the event as UTF-8 JSON.
    ///   - context: request id, ARN, deadline and attempt.
    /// - Returns: the result as UTF-8 JSON (empty means `null`).
    /// - Throws: ``FunctionError`` (or any error, reported as `Unhandled`). When the task is
    ///   cancelled (the invocation timed out) the handler should stop promptly.
    func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8]

    /// Whether the invoker should wait for the handler to finish after cancelling it on a
    /// timeout (true for process handlers, which kill their process group; default false).
    var awaitsCancellation: Bool { get }

    /// Stops background resources (worker processes). Default: nothing.
    func shutdown() async

    /// The function's code changed on disk (hot reload): the next invocation must run the new
    /// code. Default: nothing to do (the code is read at each invocation), ``FunctionCodeReload/nextInvocation``.
    func codeDidChange() async -> FunctionCodeReload
}

extension FunctionHandler {
    public var awaitsCancellation: Bool { false }
    public func shutdown() async {}
    public func codeDidChange() async -> FunctionCodeReload { .nextInvocation }
}
