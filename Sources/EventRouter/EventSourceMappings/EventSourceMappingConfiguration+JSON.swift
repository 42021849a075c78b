extension EventSourceMappingConfiguration {
    /// Parses one `EventSourceMappings` entry of a rule file.
    /// - Parameters:
    ///   - json: the entry (AWS's property names, see ``knownKeys``).
    ///   - account: the rule file's account, used to resolve a bare `FunctionName`.
    ///   - region: the rule file's region, used to resolve a bare `FunctionName`.
    /// - Throws: ``EventSourceMappingError`` with every problem (key and reason) at once.
    public init(json: JSONObject, account: String, region: String) throws(EventSourceMappingError) {
        var reader = EntryReader(json: json)
        reader.checkKeys(Self.knownKeys)
        let source = reader.source()
        let functionArn = reader.functionArn(account: account, region: region)
        var config = EventSourceMappingConfiguration(
            source: source ?? .queue(arn: "", fifo: false), functionArn: functionArn ?? "")
        if let source { config.readSettings(&reader, source: source) }
        if let enabled = reader.bool("Enabled") { config.enabled = enabled }
        if !reader.problems.isEmpty { throw EventSourceMappingError(problems: reader.problems) }
        self = config
    }

    private mutating func readSettings(_ r: inout EntryReader, source: Source) {
        let isStream: Bool
        let maxBatch: Int
        switch source {
        case .queue(_, let fifo):
            isStream = false
            maxBatch = fifo ? 10 : 10_000
        case .stream:
            isStream = true
            maxBatch = 10_000
        }
        if let n = r.int("BatchSize", 1...maxBatch) { batchSize = n }
        if let n = r.int("MaximumBatchingWindowInSeconds", 0...300) {
            maximumBatchingWindowInSeconds = n
        }
        if !isStream && batchSize > 10 && maximumBatchingWindowInSeconds < 1 && r.json["BatchSize"] != nil {
            r.problem("MaximumBatchingWindowInSeconds",
                "must be at least 1 when BatchSize is more than 10 (BatchSize is \(batchSize)); set a batching window or a BatchSize of 10 or less")
        }
        if let types = r.json["FunctionResponseTypes"] {
            if let list = types.arrayValue {
                for (i, item) in list.enumerated() where item.stringValue != "ReportBatchItemFailures" {
                    r.problem("FunctionResponseTypes[\(i)]", "must be \"ReportBatchItemFailures\" (the only response type), got \(item.jsonText)")
                }
                reportBatchItemFailures = !list.isEmpty
            } else {
                r.problem("FunctionResponseTypes", "must be a list such as [\"ReportBatchItemFailures\"], got \(types.kindName)")
            }
        }
        if let criteria = r.json["FilterCriteria"] { filterPatterns = r.filterPatterns(criteria) }
        if isStream {
            readStreamSettings(&r)
            if r.json["ScalingConfig"] != nil {
                r.problem("ScalingConfig", "is only valid for a queue mapping; for a stream use ParallelizationFactor")
            }
        } else {
            for key in ["StartingPosition", "StartingPositionTimestamp"] where r.json[key] != nil {
                r.problem(key, "is not valid for a queue mapping (SQS mappings read whatever is visible); remove it")
            }
            if let scaling = r.json["ScalingConfig"] { maximumConcurrency = r.maximumConcurrency(scaling) }
            for key in ["BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "DestinationConfig", "ParallelizationFactor"]
            where r.json[key] != nil {
                r.problem(key, "is only valid for a stream mapping; for a queue, failed messages go to the queue's RedrivePolicy dead-letter queue after maxReceiveCount receives")
            }
        }
    }

    private mutating func readStreamSettings(_ r: inout EntryReader) {
        let timestampValue = r.json["StartingPositionTimestamp"]
        switch r.json["StartingPosition"] {
        case nil:
            r.problem("StartingPosition", "is required for a stream mapping: TRIM_HORIZON, LATEST or AT_TIMESTAMP")
        case .string("TRIM_HORIZON")?: startingPosition = .trimHorizon
        case .string("LATEST")?: startingPosition = .latest
        case .string("AT_TIMESTAMP")?:
            if let t = timestampValue {
                if let seconds = t.doubleValue {
                    do { startingPosition = .atTimestamp(try Timestamp(checkedSecondsSinceEpoch: seconds)) } catch {
                        r.problem("StartingPositionTimestamp", "is not valid: \(error)")
                    }
                } else if let text = t.stringValue {
                    do { startingPosition = .atTimestamp(try Timestamp.parse(iso8601: text)) } catch {
                        r.problem("StartingPositionTimestamp", "must be seconds since the epoch or an ISO-8601 time such as \"2024-01-01T00:00:00Z\": \(error)")
                    }
                } else {
                    r.problem("StartingPositionTimestamp", "must be seconds since the epoch or an ISO-8601 time such as \"2024-01-01T00:00:00Z\", got \(t.jsonText)")
                }
            } else {
                r.problem("StartingPositionTimestamp", "is required when StartingPosition is AT_TIMESTAMP: the time to start reading from (seconds since the epoch)")
            }
        case let other?:
            r.problem("StartingPosition", "must be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got \(other.jsonText)")
        }
        if timestampValue != nil, r.json["StartingPosition"]?.stringValue != "AT_TIMESTAMP" {
            r.problem("StartingPositionTimestamp", "is only valid with StartingPosition AT_TIMESTAMP; remove it or set StartingPosition to AT_TIMESTAMP")
        }
        if let b = r.bool("BisectBatchOnFunctionError") { bisectBatchOnFunctionError = b }
        if let n = r.int("ParallelizationFactor", 1...10) { parallelizationFactor = n }
        if let n = r.int("MaximumRetryAttempts", -1...10_000) {
            maximumRetryAttempts = n
        }
        if let n = r.int("MaximumRecordAgeInSeconds", -1...604_800) {
            if n >= 0 && n < 60 {
                r.problem("MaximumRecordAgeInSeconds", "must be -1 (no limit) or from 60 to 604800 seconds, got \(n)")
            } else {
                maximumRecordAgeInSeconds = n
            }
        }
        if let value = r.json["DestinationConfig"] {
            onFailureDestination = r.onFailureDestination(value)
        }
    }
}

/// Reads one entry with the one ``FieldReader`` (its wording for unknown keys, types, ranges
/// and booleans); the mapping's own rules word their problems the same way (`'KEY' …`).
/// Problems become ``EventSourceMappingError/Problem``s keyed by their path below the entry.
private struct EntryReader {
    let json: JSONObject
    var fields = FieldReader()

    init(json: JSONObject) { self.json = json }

    /// The problems so far: the key is the JSON path below the entry (`""` for the entry itself).
    var problems: [EventSourceMappingError.Problem] {
        fields.problems.map { p in
            EventSourceMappingError.Problem(key: p.path == "$" ? "" : String(p.path.dropFirst(2)), reason: p.message)
        }
    }

    /// A problem of `key` (a dotted path below the entry): `'LAST' REASON` when the reason
    /// continues the key's name (`is …`, `must …`), the reason as given otherwise.
    mutating func problem(_ key: String, _ reason: String) {
        let name = key.split(separator: ".").last.map { String($0.split(separator: "[").first ?? $0) } ?? key
        let continues = reason.hasPrefix("is ") || reason.hasPrefix("must ")
        fields.error("$.\(key)", continues ? "'\(name)' \(reason)" : reason)
    }

    mutating func checkKeys(_ known: [String]) {
        fields.checkKeys(json, allowed: known, what: "an entry of EventSourceMappings", at: "$")
    }

    mutating func source() -> EventSourceMappingConfiguration.Source? {
        let expected = "the ARN of a queue (arn:aws:sqs:REGION:ACCOUNT:NAME) or a stream (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)"
        guard let text = fields.string(json, "EventSourceArn", at: "$", required: true) else { return nil }
        guard let source = EventSourceMappingConfiguration.Source(arn: text) else {
            problem("EventSourceArn", "must be \(expected), got '\(text)'")
            return nil
        }
        return source
    }

    mutating func functionArn(account: String, region: String) -> String? {
        guard let given = fields.string(json, "FunctionName", at: "$", required: true) else { return nil }
        // A qualifier (alias, version, $LATEST) is kept on the ARN; the validator checks it against the manifest.
        let (text, qualifier) = FunctionManifest.splitQualifier(given)
        let suffix = qualifier.map { $0 == "$LATEST" ? "" : ":" + $0 } ?? ""
        if text.hasPrefix("arn:") {
            let arn = text
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 7, parts[2] == "lambda", !parts[3].isEmpty, !parts[4].isEmpty, parts[5] == "function",
                Self.isFunctionName(parts[6])
            else {
                problem("FunctionName", "must be a function name or a function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]), got '\(given)'")
                return nil
            }
            return arn + suffix
        }
        guard Self.isFunctionName(Substring(text)) else {
            problem("FunctionName", "must be a function name (1 to 64 letters, digits, '-' or '_', optionally NAME:QUALIFIER) or a function ARN, got '\(given)'")
            return nil
        }
        return FunctionManifest.arn(region: region, account: account, name: text) + suffix
    }

    static func isFunctionName(_ s: Substring) -> Bool {
        (1...64).contains(s.count) && s.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_")
        }
    }

    /// A whole number in `range` (``FieldReader/int(_:_:at:range:required:acceptingStrings:)``); nil when absent.
    mutating func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        fields.int(json, key, at: "$", range: range)
    }

    /// `true` or `false` (strictly: mappings are not written as strings).
    mutating func bool(_ key: String) -> Bool? {
        fields.bool(json, key, at: "$", strict: true)
    }

    /// `FilterCriteria: {"Filters": [{"Pattern": "<event pattern text>"}]}` (at most 5 filters),
    /// each pattern checked as an EventBridge pattern.
    mutating func filterPatterns(_ value: JSONValue) -> [String] {
        guard let criteria = fields.object(json, "FilterCriteria", at: "$") else { return [] }
        fields.checkKeys(criteria, allowed: ["Filters"], what: "FilterCriteria", at: "$.FilterCriteria")
        guard let filters = criteria["Filters"] else { return [] }
        guard let list = filters.arrayValue, list.count <= 5 else {
            problem("FilterCriteria.Filters", "must be a list of at most 5 filters such as [{\"Pattern\": \"{\\\"body\\\": {\\\"kind\\\": [\\\"order\\\"]}}\"}], got \(filters.arrayValue.map { "\($0.count) filters" } ?? filters.kindName)")
            return []
        }
        var patterns: [String] = []
        for (i, filter) in list.enumerated() {
            guard let text = filter["Pattern"]?.stringValue else {
                problem("FilterCriteria.Filters[\(i)].Pattern", "is required: an event pattern as a JSON string, e.g. \"{\\\"body\\\": {\\\"kind\\\": [\\\"order\\\"]}}\"")
                continue
            }
            do {
                _ = try EventPattern(parsing: text)
                patterns.append(text)
            } catch {
                problem("FilterCriteria.Filters[\(i)].Pattern", "is not a valid filter pattern: \(error)")
            }
        }
        return patterns
    }

    /// `ScalingConfig: {"MaximumConcurrency": 2…1000}`.
    mutating func maximumConcurrency(_ value: JSONValue) -> Int? {
        guard let scaling = fields.object(json, "ScalingConfig", at: "$") else { return nil }
        fields.checkKeys(scaling, allowed: ["MaximumConcurrency"], what: "ScalingConfig", at: "$.ScalingConfig")
        return fields.int(scaling, "MaximumConcurrency", at: "$.ScalingConfig", range: 2...1_000)
    }

    mutating func onFailureDestination(_ value: JSONValue) -> String? {
        guard let config = fields.object(json, "DestinationConfig", at: "$") else { return nil }
        for key in config.keys where key != "OnFailure" {
            if key == "OnSuccess" {
                problem("DestinationConfig.OnSuccess", "is not supported by event source mappings (only OnFailure); remove it")
            } else {
                fields.error("$.DestinationConfig.\(key)", FieldReader.unknownKeyReason(key, in: "DestinationConfig", allowed: ["OnFailure"]))
            }
        }
        guard let object = fields.object(config, "OnFailure", at: "$.DestinationConfig") else { return nil }
        fields.checkKeys(object, allowed: ["Destination"], what: "OnFailure", at: "$.DestinationConfig.OnFailure")
        guard let arn = fields.arn(object, "Destination", at: "$.DestinationConfig.OnFailure", kinds: [.queue, .topic], required: true) else {
            return nil
        }
        return arn.description
    }
}

extension EventSourceMappingConfiguration {
    /// Parses a rule file's `EventSourceMappings` value (a list of entries).
    /// - Parameters:
    ///   - json: the value of the `EventSourceMappings` key.
    ///   - account: the rule file's `Account`.
    ///   - region: the rule file's `Region`.
    /// - Throws: ``EventSourceMappingError`` with every problem of every entry, keys prefixed
    ///   `EventSourceMappings[i]`.
    public static func list(from json: JSONValue, account: String, region: String) throws(EventSourceMappingError) -> [EventSourceMappingConfiguration] {
        guard let entries = json.arrayValue else {
            throw EventSourceMappingError(problems: [.init(key: "EventSourceMappings", reason: "must be a list of mappings, got \(json.kindName)")])
        }
        var configurations: [EventSourceMappingConfiguration] = []
        var problems: [EventSourceMappingError.Problem] = []
        for (i, entry) in entries.enumerated() {
            let at = "EventSourceMappings[\(i)]"
            guard let object = entry.objectValue else {
                problems.append(.init(key: at, reason: "must be an object with EventSourceArn and FunctionName, got \(entry.kindName)"))
                continue
            }
            do {
                configurations.append(try EventSourceMappingConfiguration(json: object, account: account, region: region))
            } catch {
                problems += error.prefixed(by: at).problems
            }
        }
        if !problems.isEmpty { throw EventSourceMappingError(problems: problems) }
        return configurations
    }
}
