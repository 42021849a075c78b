import Synchronization

/// A function's code generation: advanced when hot reload sees the code of its folder change
/// (docs/hot-reload.md). A runtime that keeps processes (a worker, a Lambda Runtime API
/// process) records the generation each process started with, compares it with ``current``
/// when an invocation starts, and replaces a process of an older generation; a process busy
/// with a request finishes it first and is replaced when it is handed back.
public final class FunctionCodeGeneration: Sendable {
    private let value = Atomic<UInt64>(0)

    public init() {}

    /// The generation now in force.
    public var current: UInt64 { value.load(ordering: .acquiring) }

    /// Starts a new generation; returns it.
    @discardableResult
    public func advance() -> UInt64 { value.add(1, ordering: .acquiringAndReleasing).newValue }
}

/// What a code change does to a function (the log line of a reload says it).
public enum FunctionCodeReload: Sendable, Equatable {
    /// The code is read again by every invocation (`Mode: invocation` process functions).
    case nextInvocation
    /// Worker processes are replaced: `idleStopped` idle ones now, busy ones once their current request ends.
    case workersRestarted(idleStopped: Int)
    /// Lambda Runtime API execution environments are replaced: `idleStopped` idle ones now, busy ones once their current invocation ends.
    case environmentsRestarted(idleStopped: Int)
    /// A Swift function compiled into `eventrouter`: it cannot reload.
    case compiledIn
}
