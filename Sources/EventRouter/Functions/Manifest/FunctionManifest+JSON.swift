extension FunctionManifest {
    /// The settings as JSON, with AWS's property names (what `eventrouter functions` lists).
    public var settingsJSON: JSONValue {
        var o = JSONObject()
        o["FunctionName"] = .string(name)
        o["FunctionArn"] = .string(arn)
        o["Runtime"] = .string(runtimeName.isEmpty ? runtime.rawValue : runtimeName)
        o["MemorySize"] = .number(JSONNumber(memorySize))
        o["Handler"] = .string(handler)
        o["Mode"] = .string(mode.rawValue)
        o["Timeout"] = .number(JSONNumber(timeoutSeconds))
        o["ReservedConcurrentExecutions"] = reservedConcurrentExecutions.map { .number(JSONNumber($0)) } ?? .null
        o["MaximumRetryAttempts"] = .number(JSONNumber(maximumRetryAttempts))
        o["MaximumEventAgeInSeconds"] = .number(JSONNumber(maximumEventAgeInSeconds))
        var destinations = JSONObject()
        if let arn = onSuccessDestination { destinations["OnSuccess"] = ["Destination": .string(arn)] }
        if let arn = onFailureDestination { destinations["OnFailure"] = ["Destination": .string(arn)] }
        if !destinations.isEmpty { o["DestinationConfig"] = .object(destinations) }
        if let arn = deadLetterTargetArn { o["DeadLetterConfig"] = ["TargetArn": .string(arn)] }
        if !environment.isEmpty {
            o["Environment"] = ["Variables": .object(JSONObject(environment.map { .init(key: $0.key, value: .string($0.value)) }))]
        }
        o["Folder"] = .string(folder)
        return .object(o)
    }
}
