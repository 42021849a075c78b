/// Lambda qualifiers: `function:NAME:ALIAS`, `:$LATEST` or `:VERSION`. One function folder
/// answers every qualifier (the same code runs); `function.json` declares the aliases with
/// `"Aliases": {"live": "1", "beta": "$LATEST"}` (alias → version: `$LATEST` or a whole number
/// from 1) or `"Aliases": ["live", "beta"]` (each → `$LATEST`). The versions that exist are
/// `$LATEST` and those an alias names.
extension FunctionManifest {
    /// The version a qualifier runs as (`$LATEST`, or a version number), or `nil` when the
    /// function has no such alias or version. `nil` qualifier = `$LATEST`.
    public func executedVersion(for qualifier: String?) -> String? {
        guard let qualifier, qualifier != "$LATEST" else { return "$LATEST" }
        if let version = aliases.first(where: { $0.name == qualifier })?.version { return version }
        if aliases.contains(where: { $0.version == qualifier }) { return qualifier }
        return nil
    }

    /// `ALIAS (→ VERSION), …` for messages; `none` when there are no aliases.
    public var aliasList: String {
        aliases.isEmpty ? "none" : aliases.map { "\($0.name) (→ \($0.version))" }.joined(separator: ", ")
    }

    /// Why `qualifier` does not name an alias or version of this function, or `nil` when it does.
    public func qualifierProblem(_ qualifier: String?) -> String? {
        guard executedVersion(for: qualifier) == nil, let qualifier else { return nil }
        return "function '\(name)' has no alias or version '\(qualifier)' (aliases: \(aliasList)); declare it in "
            + "Functions/\(folder.split(separator: "/").last.map(String.init) ?? name)/function.json as \"Aliases\": {\"\(qualifier)\": \"$LATEST\"}, or use :$LATEST"
    }

    /// Splits `NAME:QUALIFIER`, `ACCOUNT:function:NAME:QUALIFIER` or a qualified function ARN
    /// into the unqualified text and the qualifier.
    public static func splitQualifier(_ nameOrArn: String) -> (base: String, qualifier: String?) {
        let parts = nameOrArn.split(separator: ":", omittingEmptySubsequences: false)
        let qualified: Bool
        switch parts.count {
        case 2: qualified = true  // NAME:QUALIFIER
        case 4: qualified = parts[1] == "function"  // ACCOUNT:function:NAME:QUALIFIER
        case 8: qualified = parts[0] == "arn" && parts[5] == "function"
        default: qualified = false
        }
        guard qualified, let last = parts.last else { return (nameOrArn, nil) }
        return (parts.dropLast().joined(separator: ":"), String(last))
    }

    /// Reads `"Aliases"` (see the extension's documentation).
    static func readAliases(_ value: JSONValue, fields: inout FieldReader) -> [(name: String, version: String)] {
        var aliases: [(name: String, version: String)] = []
        func add(_ name: String, _ version: String, at path: String) {
            guard isValidAliasName(name) else {
                fields.error(path, "alias '\(name)' must be 1–128 letters, digits, '-' or '_', and not only digits (that would be a version)")
                return
            }
            guard version == "$LATEST" || (version.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (UInt64(version) ?? 0) >= 1) else {
                fields.error(path, "alias '\(name)' must name a version: \"$LATEST\" or a whole number from 1, e.g. \"1\"; got '\(version)'")
                return
            }
            aliases.append((name, version))
        }
        switch value {
        case .object(let o):
            for member in o.members {
                guard let version = member.value.stringValue else {
                    fields.error("$.Aliases.\(member.key)", "an alias's version must be a string such as \"1\" or \"$LATEST\", not \(member.value.kindName)")
                    continue
                }
                add(member.key, version, at: "$.Aliases.\(member.key)")
            }
        case .array(let items):
            for (i, item) in items.enumerated() {
                guard let name = item.stringValue else {
                    fields.error("$.Aliases[\(i)]", "each alias must be a string, not \(item.kindName)")
                    continue
                }
                if aliases.contains(where: { $0.name == name }) {
                    fields.error("$.Aliases[\(i)]", "alias '\(name)' is listed twice")
                    continue
                }
                add(name, "$LATEST", at: "$.Aliases[\(i)]")
            }
        default:
            fields.error("$.Aliases", "'Aliases' must be an object {\"ALIAS\": \"VERSION\"} or a list of alias names, not \(value.kindName)")
        }
        return aliases
    }

    /// Alias names: 1–128 of `[A-Za-z0-9_-]`, not all digits, not `$LATEST`.
    static func isValidAliasName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count)
            && name.utf8.allSatisfy { c in (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F }
            && !name.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
