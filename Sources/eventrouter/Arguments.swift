/// A small command-line argument reader: flags (`--count`), options (`--rules FILE`,
/// `--rules=FILE`) and positionals, with errors that say what to change.
struct Arguments {
    private(set) var items: [String]

    init(_ items: [String]) { self.items = items }

    /// Removes `--name` (also `--name=false`) and returns whether it was present.
    mutating func flag(_ name: String) -> Bool {
        if let i = items.firstIndex(of: "--\(name)") {
            items.remove(at: i)
            return true
        }
        return false
    }

    /// Removes `--name VALUE` or `--name=VALUE` and returns the value, if present.
    mutating func option(_ name: String) throws(UsageError) -> String? {
        let long = "--\(name)"
        if let i = items.firstIndex(where: { $0.hasPrefix(long + "=") }) {
            let value = String(items[i].dropFirst(long.count + 1))
            items.remove(at: i)
            return value
        }
        guard let i = items.firstIndex(of: long) else { return nil }
        guard i + 1 < items.count else { throw UsageError("option \(long) needs a value") }
        let value = items[i + 1]
        items.removeSubrange(i...(i + 1))
        return value
    }

    /// Like ``option(_:)`` but the option must be present.
    mutating func requiredOption(_ name: String) throws(UsageError) -> String {
        guard let v = try option(name) else { throw UsageError("missing required option --\(name)") }
        return v
    }

    /// An integer option.
    mutating func intOption(_ name: String) throws(UsageError) -> Int? {
        guard let text = try option(name) else { return nil }
        guard let v = Int(text) else { throw UsageError("--\(name) takes a whole number, got '\(text)'") }
        return v
    }

    /// Removes and returns the next positional argument.
    mutating func positional() -> String? {
        guard let i = items.firstIndex(where: { !$0.hasPrefix("--") || $0 == "-" }) else { return nil }
        return items.remove(at: i)
    }

    /// Fails if anything is left unread.
    func finish() throws(UsageError) {
        if let extra = items.first {
            throw UsageError(extra.hasPrefix("--") ? "unknown option \(extra)" : "unexpected argument '\(extra)'")
        }
    }
}

/// A mistake on the command line; printed with the command's usage, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
