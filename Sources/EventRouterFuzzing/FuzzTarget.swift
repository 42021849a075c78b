import EventRouter

/// One thing the fuzzer exercises: bytes in, a checked property out.
///
/// `run` must never trap on any input: a violated property (two readers disagree, a value does
/// not survive a round trip, an error without a message) is thrown as a ``FuzzFailure`` so that
/// the driver can print and save the input. Inputs longer than ``maximumInputSize`` are never
/// given, which bounds the time of one execution.
public protocol FuzzTarget: Sendable {
    /// The name used on the command line (`eventrouter-fuzz NAME`).
    var name: String { get }
    /// What the target checks, for `--list` and docs/fuzzing.md.
    var summary: String { get }
    /// Inputs the run starts from (valid and nearly valid examples taken from the tests).
    var seeds: [[UInt8]] { get }
    /// Tokens the JSON-aware mutations insert (operators, field names, odd values).
    var dictionary: [[UInt8]] { get }
    /// The largest input the driver gives.
    var maximumInputSize: Int { get }
    /// Checks `input`; returns whether it was accepted (the driver keeps accepted inputs as
    /// bases for later mutations).
    /// - Throws: ``FuzzFailure`` when a property does not hold.
    func run(_ input: [UInt8]) async throws(FuzzFailure) -> FuzzOutcome
    /// A structured input built from random choices, or `nil` when the target has none
    /// (the driver then only mutates).
    func generate(_ random: inout SeededGenerator) -> [UInt8]?
}

extension FuzzTarget {
    public var dictionary: [[UInt8]] { [] }
    public var maximumInputSize: Int { 4096 }
    public func generate(_ random: inout SeededGenerator) -> [UInt8]? { nil }
}

/// What one execution made of its input.
public enum FuzzOutcome: Sendable {
    /// The input was valid for the target and went all the way through.
    case accepted
    /// The input was refused with a proper error (no property was violated).
    case rejected
}

/// A violated property: what was expected and what happened.
public struct FuzzFailure: Error, Sendable, CustomStringConvertible {
    /// What was expected and what happened.
    public var message: String
    /// A failure saying `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Checks `condition`, throwing `message` as a ``FuzzFailure`` when it is false.
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message()) }
}

extension String {
    /// The UTF-8 bytes of the string, as targets take them.
    var bytes: [UInt8] { Array(utf8) }
}
