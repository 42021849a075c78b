/// Reads typed values out of a manifest object, collecting every problem instead of stopping at the first.
struct ManifestReader {
    let file: String
    private(set) var problems: [FunctionManifestError.Problem] = []

    init(file: String) { self.file = file }

    mutating func fail(_ key: String, _ reason: String) {
        problems.append(.init(file: file, key: key, reason: reason))
    }

    private func path(_ key: String, _ parent: String) -> String { parent.isEmpty ? key : parent + "." + key }

    mutating func rejectUnknownKeys(_ object: JSONObject, known: [String], at parent: String) {
        for key in object.keys where !known.contains(key) {
            fail(path(key, parent), DidYouMean.unknownKeyReason(key, known: known))
        }
    }

    mutating func string(_ object: JSONObject, _ key: String, at parent: String = "", required: Bool = false) -> String? {
        guard let value = object[key], !value.isNull else {
            if required { fail(path(key, parent), "is required") }
            return nil
        }
        guard let text = value.stringValue else {
            fail(path(key, parent), "must be a string, found \(value.kindName)")
            return nil
        }
        if text.isEmpty {
            fail(path(key, parent), "must not be empty")
            return nil
        }
        return text
    }

    mutating func integer(_ object: JSONObject, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .number(let n) = value, let v = n.exactInt else {
            fail(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(value.jsonText)")
            return nil
        }
        guard range.contains(v) else {
            fail(key, "must be from \(range.lowerBound) to \(range.upperBound), found \(v)")
            return nil
        }
        return v
    }

    mutating func object(_ object: JSONObject, _ key: String, at parent: String = "") -> JSONObject? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let o = value.objectValue else {
            fail(path(key, parent), "must be an object, found \(value.kindName)")
            return nil
        }
        return o
    }

    mutating func checkHandler(_ handler: String, runtime: FunctionManifest.Runtime) {
        switch runtime {
        case .process:
            if handler.hasPrefix("/") {
                fail("Handler", "'\(handler)' must be a path inside the function's folder, e.g. \"handler.py\", not an absolute path")
            } else if handler.split(separator: "/").contains("..") {
                fail("Handler", "'\(handler)' must stay inside the function's folder (no '..')")
            }
        case .swift:
            let ok = handler.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E
            }
            if !ok { fail("Handler", "'\(handler)' must be the Swift handler's type name, e.g. \"RollingAverage\"") }
        }
    }
}
