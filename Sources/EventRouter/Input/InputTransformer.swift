/// EventBridge's `InputTransformer`: `InputPathsMap` (variables bound to JSONPaths into the
/// event, at most 100) and an `InputTemplate` with `<variable>` placeholders.
///
/// Rendering follows AWS (semantics.md §7; docs/rule-files.md "Input shaping"). The template's
/// first character that is not white space decides its kind (``Kind``):
/// - `{` or `[`: a **JSON template**. A bare `<v>` holding a string is inserted with quotes,
///   anything else as JSON, a missing value as `""`. Inside a string literal (`"id <v>"`) a
///   string, number, boolean or null goes in without added quotes (EventRouter escapes it, so the
///   result stays JSON); an object or array there makes AWS's result invalid JSON, so the target
///   gets nothing (here: `INVALID_INPUT`, the dead-letter queue). The result must be JSON.
/// - `"`: a **string template**: each line is a string whose placeholders are filled in as
///   text — strings raw, objects and arrays without quotes (`{a:1,b:x}`, `[HIGH]`), a missing
///   value empty. The result need not be JSON.
/// - anything else: a **text template**, filled in the same way.
/// In string and text templates `<aws.events.event>` / `<aws.events.event.json>` go in as JSON.
public struct InputTransformer: Sendable, Hashable {
    /// The reserved variables every template may use.
    public static let reservedVariables = [
        "aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time",
        "aws.events.event", "aws.events.event.json",
    ]
    /// The most variables an `InputPathsMap` may bind.
    public static let maximumVariables = 100

    enum Part: Sendable, Hashable {
        case text(String)
        /// A placeholder; `quoted` when it sits inside a JSON string literal.
        case variable(String, quoted: Bool)
    }

    public let pathsMap: [String: JSONPath]
    public let template: String
    /// What kind of template it is (see the type's documentation).
    public let kind: Kind
    /// Whether the template is JSON (its output must be JSON).
    public var isJSONTemplate: Bool { kind == .json }

    /// The kind of an `InputTemplate`, from its first character that is not white space.
    public enum Kind: Sendable, Hashable {
        /// Starts with `{` or `[`: placeholders render as JSON; the result must be JSON.
        case json
        /// Starts with `"`: lines of strings whose placeholders render as text.
        case string
        /// Anything else: placeholders render as text.
        case text
    }
    let parts: [Part]

    /// Validates a transformer.
    /// - Parameters:
    ///   - pathsMap: variable name → JSONPath text.
    ///   - template: the `InputTemplate`.
    /// - Throws: ``EventRouterError`` (`ValidationException`) for more than 100 variables, a bad
    ///   variable name or path, a placeholder not in the map, or a reserved whole-event variable in quotes.
    public init(pathsMap: [(String, String)], template: String) throws(EventRouterError) {
        guard pathsMap.count <= InputTransformer.maximumVariables else {
            throw EventRouterError(.validation, "InputPathsMap has \(pathsMap.count) variables; at most \(InputTransformer.maximumVariables) are allowed")
        }
        var map: [String: JSONPath] = [:]
        for (name, pathText) in pathsMap {
            guard !name.isEmpty, name.utf8.allSatisfy({ InputTransformer.isVariableByte($0) && $0 != UInt8(ascii: ".") }) else {
                throw EventRouterError(.validation, "InputPathsMap variable '\(name)' may only contain letters, digits, '_' and '-'")
            }
            if name.lowercased().hasPrefix("aws") && InputTransformer.reservedVariables.contains(where: { $0.hasPrefix(name.lowercased()) }) {
                throw EventRouterError(.validation, "InputPathsMap variable '\(name)' is reserved")
            }
            map[name] = try JSONPath(parsing: pathText)
        }
        let trimmed = template.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        let kind: Kind = trimmed.first == "{" || trimmed.first == "[" ? .json : trimmed.first == "\"" ? .string : .text
        let isJSON = kind == .json
        // String templates are split like JSON, to find placeholders inside quotes.
        let parts = InputTransformer.split(template, json: kind != .text)
        for case .variable(let name, let quoted) in parts {
            if InputTransformer.reservedVariables.contains(name) {
                if quoted, name == "aws.events.event" || name == "aws.events.event.json" {
                    throw EventRouterError(.validation, "<\(name)> may only be used as a JSON value, not inside a string in InputTemplate")
                }
            } else if map[name] == nil {
                var message = "InputTemplate uses <\(name)>, which is not a key of InputPathsMap"
                if let hint = DidYouMean.suggestion(for: name, among: Array(map.keys) + InputTransformer.reservedVariables) {
                    message += " (did you mean <\(hint)>?)"
                }
                throw EventRouterError(.validation, message)
            }
        }
        if isJSON, let problem = InputTransformer.neverJSON(parts) { throw EventRouterError(.validation, problem) }
        self.pathsMap = map
        self.template = template
        self.kind = kind
        self.parts = parts
    }

    /// Why a JSON template can never render valid JSON, or `nil`. Every bare `<v>` renders as
    /// one JSON value and a string fits wherever any value (or a key) does, and quoted ones stay
    /// inside their string; so if the template does not parse with each bare placeholder as `""`,
    /// no event can make it valid and every delivery would fail with INVALID_INPUT.
    static func neverJSON(_ parts: [Part]) -> String? {
        var filled = ""
        for part in parts {
            switch part {
            case .text(let t): filled += t
            case .variable(_, let quoted): if !quoted { filled += "\"\"" }
            }
        }
        do {
            _ = try JSONParser.parse(filled)
            return nil
        } catch {
            return "InputTemplate starts like JSON but can never produce valid JSON, whatever the event (\(error), with every placeholder filled in: \(filled)); check brackets, quotes and commas, and write each placeholder as <name>"
        }
    }

    static func isVariableByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    /// Splits a template into text and placeholders, noting which placeholders sit inside
    /// JSON string literals. `<` not followed by a variable name and `>` is plain text.
    static func split(_ template: String, json: Bool) -> [Part] {
        let b = Array(template.utf8)
        var parts: [Part] = []
        var text: [UInt8] = []
        var inString = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "<") {
                var j = i + 1
                while j < b.count, isVariableByte(b[j]) { j += 1 }
                if j > i + 1, j < b.count, b[j] == UInt8(ascii: ">") {
                    if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
                    text.removeAll()
                    parts.append(.variable(String(decoding: b[(i + 1)..<j], as: UTF8.self), quoted: json && inString))
                    i = j + 1
                    continue
                }
            }
            if json {
                if inString, c == UInt8(ascii: "\\"), i + 1 < b.count {
                    text.append(c)
                    text.append(b[i + 1])
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { inString.toggle() }
            }
            text.append(c)
            i += 1
        }
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return parts
    }

    /// Renders the template for one event.
    /// - Throws: ``EventRouterError`` (`InvalidInput`) when a JSON template does not yield valid
    ///   JSON, including an object or array placed inside a string in it.
    public func render(_ context: InputContext) throws(EventRouterError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .variable(let name, let quoted):
                let value = self.value(of: name, context)
                if kind != .json {
                    // The whole-event variables are JSON values even in a string or text template.
                    if name == "aws.events.event" || name == "aws.events.event.json" {
                        out += value?.jsonText ?? ""
                    } else if let value {
                        out += InputTransformer.unquoted(value)
                    }
                } else if quoted {
                    guard let value else { continue }
                    let raw: String
                    switch value {
                    case .string(let s): raw = s
                    case .object, .array:
                        // AWS writes the value's JSON inside the string, which ends the string early:
                        // the result is not JSON and nothing is delivered.
                        throw EventRouterError(.invalidInput, "InputTemplate places <\(name)>, which holds \(value.kindName == "object" ? "an object" : "an array"), "
                            + "inside a string, so the result is not valid JSON and EventBridge delivers nothing to this target; "
                            + "write <\(name)> outside quotes to insert it as JSON")
                    default: raw = value.jsonText
                    }
                    let q = JSONSerializer.quoted(raw)
                    out += q.dropFirst().dropLast()
                } else {
                    out += value?.jsonText ?? "\"\""
                }
            }
        }
        if kind == .json {
            do {
                _ = try JSONParser.parse(out)
            } catch {
                throw EventRouterError(.invalidInput, "InputTemplate did not produce valid JSON (\(error)): \(out)")
            }
        }
        return out
    }

    func value(of name: String, _ context: InputContext) -> JSONValue? {
        switch name {
        case "aws.events.rule-arn": return .string(context.ruleArn)
        case "aws.events.rule-name": return .string(context.ruleName)
        case "aws.events.event.ingestion-time": return .string(context.ingestionTime.iso8601)
        case "aws.events.event": return context.eventWithoutDetail
        case "aws.events.event.json": return context.event.json
        default: return pathsMap[name]?.select(in: context.event.json)
        }
    }

    /// A value as a text template writes it: strings raw, containers without quotes.
    static func unquoted(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .array(let a): return "[" + a.map(unquoted).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.members.map { "\($0.key):\(unquoted($0.value))" }.joined(separator: ",") + "}"
        default: return value.jsonText
        }
    }
}
