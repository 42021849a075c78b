import Foundation

/// A typed Swift handler: a `Decodable` event in, an `Encodable` output out.
///
/// ```swift
/// struct Greeter: CodableFunctionHandler {
///     struct Event: Decodable { var name: String }
///     struct Output: Encodable { var greeting: String }
///     func handle(_ event: Event, context: FunctionContext) async throws -> Output {
///         Output(greeting: "Hello, \(event.name)")
///     }
/// }
/// ```
/// Conforming types get the byte-level ``FunctionHandler`` conformance for free.
public protocol CodableFunctionHandler: FunctionHandler {
    associatedtype Event: Decodable
    associatedtype Output: Encodable
    /// Handles one decoded event.
    func handle(_ event: Event, context: FunctionContext) async throws -> Output
}

extension CodableFunctionHandler {
    public func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] {
        let event: Event
        do {
            event = try JSONDecoder().decode(Event.self, from: Data(payload.isEmpty ? Array("null".utf8) : payload))
        } catch {
            throw FunctionError(type: "Runtime.UnmarshalError", message: "cannot decode the event as \(Event.self): \(Self.describe(error))")
        }
        let output = try await handle(event, context: context)
        do {
            // Sorted keys: the same output encodes to the same text on every run (reproducible replays).
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return Array(try encoder.encode(output))
        } catch {
            throw FunctionError(type: "Runtime.MarshalError", message: "cannot encode the output \(Output.self): \(error)")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let ctx)?: return "missing key '\(Self.path(ctx.codingPath + [key]))'"
        case .typeMismatch(let type, let ctx)?: return "'\(Self.path(ctx.codingPath))' is not \(type)"
        case .valueNotFound(let type, let ctx)?: return "'\(Self.path(ctx.codingPath))' is null, expected \(type)"
        case .dataCorrupted(let ctx)?: return ctx.debugDescription
        default: return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
