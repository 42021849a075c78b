import Synchronization

/// The Swift handlers compiled into the tool, by the name a manifest's `Handler` gives.
///
/// The build-tool plugin generates one `register` call per Swift function in `Functions/`;
/// code (tests, embedding applications) may register more.
public final class SwiftFunctionRegistry: Sendable {
    private let handlers = Mutex<[String: any FunctionHandler]>([:])

    public init() {}

    /// Registers `handler` under `name` (replacing an earlier one).
    public func register(_ name: String, _ handler: any FunctionHandler) {
        handlers.withLock { $0[name] = handler }
    }

    /// Registers a closure handler.
    public func register(_ name: String, _ body: @escaping @Sendable (JSONValue, FunctionContext) async throws -> JSONValue) {
        register(name, ClosureFunctionHandler(body))
    }

    /// The handler registered as `name`.
    public func handler(named name: String) -> (any FunctionHandler)? {
        handlers.withLock { $0[name] }
    }

    /// All registered names, sorted.
    public var names: [String] { handlers.withLock { $0.keys.sorted() } }
}
