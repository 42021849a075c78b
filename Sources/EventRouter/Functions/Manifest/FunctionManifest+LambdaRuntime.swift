import Foundation

extension FunctionManifest.Runtime {
    /// The runtime a manifest's `Runtime` names: `process`, `swift`, `provided`,
    /// `provided.al2`, `provided.al2023`, any `python3.N`, any `nodejsN.x`; `nil` otherwise.
    public static func named(_ text: String) -> Self? {
        switch text {
        case "process": return .process
        case "swift": return .swift
        case "provided", "provided.al2", "provided.al2023": return .provided
        default: break
        }
        if text.hasPrefix("python3."), let minor = Int(text.dropFirst(8)), minor >= 0, !text.dropFirst(8).contains("+") { return .python }
        if text.hasPrefix("nodejs"), text.hasSuffix(".x"), let major = Int(text.dropFirst(6).dropLast(2)), major > 0,
           !text.dropFirst(6).dropLast(2).contains("+") { return .nodejs }
        return nil
    }

    /// Why `text` is not a runtime name, listing the names that are.
    static func unknownNameReason(_ text: String) -> String {
        var reason = "'Runtime' must be one of process, swift, provided, provided.al2, provided.al2023, python3.x (e.g. python3.12) "
            + "or nodejsN.x (e.g. nodejs20.x, nodejs22.x), got '\(text)'"
        if let hint = named(text.lowercased()) { reason += " (values are case-sensitive: write '\(text.lowercased())' for \(hint.rawValue))" }
        return reason
    }

    /// Whether functions of this runtime run behind the Lambda Runtime API.
    public var usesRuntimeAPI: Bool { self == .provided || self == .python || self == .nodejs }
}

/// A Python or Node.js `Handler` in Lambda's syntax, `path/module.function`: the module file
/// (relative to the function's folder, without extension) and the function's name.
public struct LambdaHandlerName: Sendable, Equatable {
    /// The module path inside the folder, e.g. `src/app` (Python: dots in the module become `/`).
    public var modulePath: String
    /// The function name (Node.js: may be a dotted path, e.g. `handlers.main`).
    public var function: String
    /// Why the handler is not usable, or `nil`.
    public var problem: String?

    /// Splits `handler` the way Lambda's runtime clients do: Python at the last dot
    /// (`pkg.mod.fn` → module `pkg/mod`), Node.js at the first dot after the last `/`.
    public init(_ handler: String, runtime: FunctionManifest.Runtime) {
        let example = runtime == .python ? "\"app.lambda_handler\" (app.py, def lambda_handler)" : "\"index.handler\" (index.mjs or index.js, exports.handler)"
        modulePath = ""
        function = ""
        if handler.hasPrefix("/") || handler.split(separator: "/").contains("..") {
            problem = "'\(handler)' must name a module inside the function's folder as module.function, e.g. \(example)"
            return
        }
        if runtime == .python {
            guard let dot = handler.lastIndex(of: ".") else {
                problem = "'\(handler)' must be module.function, e.g. \(example)"
                return
            }
            modulePath = handler[..<dot].replacingOccurrences(of: ".", with: "/")
            function = String(handler[handler.index(after: dot)...])
        } else {
            let slash = handler.lastIndex(of: "/").map { handler.index(after: $0) } ?? handler.startIndex
            guard let dot = handler[slash...].firstIndex(of: ".") else {
                problem = "'\(handler)' must be module.function, e.g. \(example)"
                return
            }
            modulePath = String(handler[..<dot])
            function = String(handler[handler.index(after: dot)...])
        }
        if modulePath.isEmpty || function.isEmpty || modulePath.hasSuffix("/") {
            problem = "'\(handler)' must be module.function with both parts non-empty, e.g. \(example)"
        }
    }

    /// The files that may hold the module, in the order the runtime tries them.
    public func candidateFiles(runtime: FunctionManifest.Runtime) -> [String] {
        runtime == .python
            ? [modulePath + ".py", modulePath + "/__init__.py"]
            : [modulePath + ".js", modulePath + ".mjs", modulePath + ".cjs"]
    }
}
