import EventRouter

extension LambdaService {
    /// `PutFunctionEventInvokeConfig` (`replace`: members left out take Lambda's defaults) and
    /// `UpdateFunctionEventInvokeConfig` (members left out keep their values). The function's
    /// asynchronous engine reads them at its next decision.
    func putEventInvokeConfig(_ request: LambdaRequest, replace: Bool) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        let input = try request.body()
        let retries = try LambdaErrors.integer(input, "MaximumRetryAttempts", 0...2)
        let age = try LambdaErrors.integer(input, "MaximumEventAgeInSeconds", 60...21_600)
        var onSuccess: String??, onFailure: String??
        if let config = try LambdaErrors.reading({ () throws(AWSError) -> JSONInput? in try input.structure("DestinationConfig") }) {
            onSuccess = try Self.destination(config, "OnSuccess")
            onFailure = try Self.destination(config, "OnFailure")
        }
        let time = now
        let values = runtime.settings.update { v in
            if replace || !v.eventInvokeConfigured {
                v.maximumRetryAttempts = FunctionSettings.defaultMaximumRetryAttempts
                v.maximumEventAgeInSeconds = FunctionSettings.defaultMaximumEventAgeInSeconds
                v.onSuccessDestination = nil
                v.onFailureDestination = nil
            }
            if let retries { v.maximumRetryAttempts = retries }
            if let age { v.maximumEventAgeInSeconds = age }
            if let onSuccess { v.onSuccessDestination = onSuccess }
            if let onFailure { v.onFailureDestination = onFailure }
            v.eventInvokeConfigured = true
            v.eventInvokeLastModified = time
        }
        functions.journal.putConfig(runtime)
        return Self.reply(eventInvokeConfigJSON(runtime, values))
    }

    /// `GetFunctionEventInvokeConfig`.
    func getEventInvokeConfig(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        let values = runtime.settings.values
        guard values.eventInvokeConfigured else { throw Self.noEventInvokeConfig(runtime) }
        return Self.reply(eventInvokeConfigJSON(runtime, values))
    }

    /// `DeleteFunctionEventInvokeConfig`: back to Lambda's defaults (2 retries, 6 hours, no destinations).
    func deleteEventInvokeConfig(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        guard runtime.settings.values.eventInvokeConfigured else { throw Self.noEventInvokeConfig(runtime) }
        runtime.settings.update { v in
            v.maximumRetryAttempts = FunctionSettings.defaultMaximumRetryAttempts
            v.maximumEventAgeInSeconds = FunctionSettings.defaultMaximumEventAgeInSeconds
            v.onSuccessDestination = nil
            v.onFailureDestination = nil
            v.eventInvokeConfigured = false
        }
        functions.journal.putConfig(runtime)
        return Self.noContent
    }

    /// `ListFunctionEventInvokeConfigs`: the `$LATEST` configuration, if any.
    func listEventInvokeConfigs(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        let values = runtime.settings.values
        return Self.reply(["FunctionEventInvokeConfigs": .array(values.eventInvokeConfigured ? [eventInvokeConfigJSON(runtime, values)] : [])])
    }

    /// `PutFunctionConcurrency`: reserves concurrency (0 throttles every invocation).
    func putConcurrency(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        let input = try request.body()
        let reserved = try LambdaErrors.integer(input, "ReservedConcurrentExecutions", 0...1_000_000, required: true) ?? 0
        do {
            try functions.setReservedConcurrency(reserved, of: runtime)
        } catch {
            throw AWSError(code: "InvalidParameterValueException", message: "ReservedConcurrentExecutions: \(error.message)")
        }
        functions.journal.putConfig(runtime)
        return Self.reply(["ReservedConcurrentExecutions": .number(JSONNumber(reserved))])
    }

    /// `GetFunctionConcurrency`: `{}` when nothing is reserved.
    func getConcurrency(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        guard let reserved = runtime.settings.reservedConcurrency else { return Self.reply([:]) }
        return Self.reply(["ReservedConcurrentExecutions": .number(JSONNumber(reserved))])
    }

    /// `DeleteFunctionConcurrency`: the function draws from the account's unreserved pool again.
    func deleteConcurrency(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        do {
            try functions.setReservedConcurrency(nil, of: runtime)
        } catch {
            throw AWSError(code: "InvalidParameterValueException", message: error.message)
        }
        functions.journal.putConfig(runtime)
        return Self.noContent
    }

    func eventInvokeConfigJSON(_ runtime: FunctionRuntime, _ v: FunctionSettings.Values) -> JSONValue {
        func destination(_ arn: String?) -> JSONValue { arn.map { ["Destination": .string($0)] } ?? [:] }
        return [
            "LastModified": .number(JSONNumber((v.eventInvokeLastModified ?? loadedAt).secondsSinceEpoch)),
            "FunctionArn": .string(runtime.arn + ":$LATEST"),
            "MaximumRetryAttempts": .number(JSONNumber(v.maximumRetryAttempts)),
            "MaximumEventAgeInSeconds": .number(JSONNumber(v.maximumEventAgeInSeconds)),
            "DestinationConfig": ["OnSuccess": destination(v.onSuccessDestination), "OnFailure": destination(v.onFailureDestination)],
        ]
    }

    /// `DestinationConfig.<which>.Destination`: `.some(nil)` clears it, `nil` when absent.
    static func destination(_ config: JSONInput, _ which: String) throws(AWSError) -> String?? {
        guard let entry = try LambdaErrors.reading({ () throws(AWSError) -> JSONInput? in try config.structure(which) }) else { return nil }
        guard let arn = try LambdaErrors.reading({ () throws(AWSError) -> String? in try entry.string("Destination") }), !arn.isEmpty else {
            return .some(nil)
        }
        guard DestinationKind(arn: arn) != nil else {
            throw LambdaErrors.invalid("DestinationConfig.\(which).Destination",
                                       "The destination ARN \(arn) is invalid: use an SQS queue, SNS topic, EventBridge event bus or Lambda function ARN")
        }
        return .some(arn)
    }

    static func noEventInvokeConfig(_ runtime: FunctionRuntime) -> AWSError {
        LambdaErrors.notFound("The function \(runtime.arn):$LATEST doesn't have an EventInvokeConfig (put one with PutFunctionEventInvokeConfig, or set MaximumRetryAttempts / MaximumEventAgeInSeconds / DestinationConfig in Functions/\(runtime.manifest.name)/function.json)")
    }
}
