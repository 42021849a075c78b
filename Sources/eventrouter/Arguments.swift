/// A small command-line argument reader: flags (`--count`), options (`--rules FILE`,
/// `--rules=FILE`) and positionals, with errors that say what to change.
struct Arguments {
    private(set) var items: [String]
    /// The command's flags (options without a value), so that ``positional()`` knows which
    /// `--name` is followed by its value and which is not, wherever the action word stands.
    let flags: Set<String>
    /// A flag given more than once (reported by ``finish()``).
    private var repeatedFlag: String?

    init(_ items: [String], flags: Set<String> = []) {
        self.items = items
        self.flags = flags.union(["help", "h"])
    }

    /// Removes `--name` and returns whether it was present (given twice: ``finish()`` says so).
    mutating func flag(_ name: String) -> Bool {
        let count = items.count
        items.removeAll { $0 == "--\(name)" }
        if count - items.count > 1 { repeatedFlag = repeatedFlag ?? name }
        return items.count < count
    }

    /// Removes `--name VALUE` or `--name=VALUE` and returns the value, if present.
    mutating func option(_ name: String) throws(UsageError) -> String? {
        let long = "--\(name)"
        if items.count(where: { $0 == long || $0.hasPrefix(long + "=") }) > 1 {
            throw UsageError("option \(long) was given more than once; give it once")
        }
        return try takeOption(long)
    }

    /// Removes every `--name VALUE` (an option that may repeat) and returns the values in order.
    mutating func repeatedOption(_ name: String) throws(UsageError) -> [String] {
        var values: [String] = []
        while let value = try takeOption("--\(name)") { values.append(value) }
        return values
    }

    private mutating func takeOption(_ long: String) throws(UsageError) -> String? {
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

    /// Removes and returns the next positional argument: the first word that is neither an
    /// option, a flag, nor the value of an option (so `queue --state S --queue Q stats` reads `stats`).
    mutating func positional() -> String? {
        var i = 0
        while i < items.count {
            let item = items[i]
            guard item.hasPrefix("--") else { return items.remove(at: i) }
            let name = item.dropFirst(2)
            i += name.contains("=") || flags.contains(String(name)) ? 1 : 2
        }
        return nil
    }

    /// Fails if anything is left unread.
    func finish() throws(UsageError) {
        if let repeatedFlag { throw UsageError("option --\(repeatedFlag) was given more than once; give it once") }
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
