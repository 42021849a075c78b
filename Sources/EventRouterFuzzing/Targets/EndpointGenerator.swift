import EventRouter
import EventRouterHTTP

/// Structured inputs of the `endpoint` target: a request of a random protocol naming any
/// operation its service has (or none it has), with parameters drawn from a pool of the
/// members those operations read and values valid, odd and broken. It reaches operations the
/// seeds do not show and parameter mixes byte mutations rarely make.
struct EndpointGenerator {
    typealias R = EndpointRequests
    static let account = EndpointWorld.account

    static let jsonServices: [(prefix: String, version: String, operations: [String])] = [
        ("AWSEvents", "1.1", ["CancelReplay", "CreateApiDestination", "CreateArchive", "CreateConnection", "CreateEventBus", "DeleteApiDestination",
                              "DeleteArchive", "DeleteConnection", "DeleteEventBus", "DeleteRule", "DescribeApiDestination", "DescribeArchive",
                              "DescribeConnection", "DescribeEventBus", "DescribeReplay", "DescribeRule", "DisableRule", "EnableRule",
                              "ListApiDestinations", "ListArchives", "ListConnections", "ListEventBuses", "ListReplays", "ListRuleNamesByTarget",
                              "ListRules", "ListTagsForResource", "ListTargetsByRule", "PutEvents", "PutPermission", "PutRule", "PutTargets",
                              "RemovePermission", "RemoveTargets", "StartReplay", "TagResource", "TestEventPattern", "UntagResource",
                              "UpdateApiDestination", "UpdateArchive", "UpdateConnection", "PutPartnerEvents"]),
        ("AmazonSQS", "1.0", ["AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "CreateQueue",
                              "DeleteMessage", "DeleteMessageBatch", "DeleteQueue", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues",
                              "ListMessageMoveTasks", "ListQueueTags", "ListQueues", "PurgeQueue", "ReceiveMessage", "RemovePermission",
                              "SendMessage", "SendMessageBatch", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue", "UntagQueue"]),
        ("Kinesis_20131202", "1.1", kinesisOperations),
        ("Logs_20140328", "1.1", ["CreateLogGroup", "CreateLogStream", "DeleteLogGroup", "DeleteRetentionPolicy", "DescribeLogGroups",
                                  "DescribeLogStreams", "FilterLogEvents", "GetLogEvents", "PutLogEvents", "PutRetentionPolicy"]),
        ("Firehose_20150804", "1.1", ["CreateDeliveryStream", "DeleteDeliveryStream", "DescribeDeliveryStream", "ListDeliveryStreams", "PutRecord", "PutRecordBatch"]),
    ]
    static let kinesisOperations = ["AddTagsToStream", "CreateStream", "DecreaseStreamRetentionPeriod", "DeleteStream", "DescribeStream",
                                    "DescribeStreamSummary", "GetRecords", "GetShardIterator", "IncreaseStreamRetentionPeriod", "ListShards",
                                    "ListStreams", "ListTagsForResource", "ListTagsForStream", "MergeShards", "PutRecord", "PutRecords",
                                    "RegisterStreamConsumer", "RemoveTagsFromStream", "SplitShard", "TagResource", "UntagResource", "UpdateShardCount"]
    static let queryOperations: [(service: String, version: String, operations: [String])] = [
        ("sns", "2010-03-31", ["ConfirmSubscription", "CreateTopic", "DeleteTopic", "GetSubscriptionAttributes", "GetTopicAttributes", "ListSubscriptions",
                               "ListSubscriptionsByTopic", "ListTagsForResource", "ListTopics", "Publish", "PublishBatch", "SetSubscriptionAttributes",
                               "SetTopicAttributes", "Subscribe", "TagResource", "Unsubscribe", "UntagResource", "CreatePlatformApplication"]),
        ("sqs", "2012-11-05", ["SendMessage", "ReceiveMessage", "DeleteMessage", "CreateQueue", "DeleteQueue", "PurgeQueue", "GetQueueAttributes",
                               "SetQueueAttributes", "SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch", "TagQueue",
                               "ListQueues", "GetQueueUrl", "AddPermission", "ListDeadLetterSourceQueues"]),
        ("sts", "2011-06-15", ["GetCallerIdentity", "AssumeRole", "GetSessionToken"]),
    ]
    static let jsonKeys = ["QueueUrl", "QueueName", "MessageBody", "ReceiptHandle", "Entries", "Attributes", "AttributeNames", "MessageAttributes",
                           "Name", "EventBusName", "Rule", "Targets", "Ids", "EventPattern", "ScheduleExpression", "State", "StreamName",
                           "StreamARN", "ShardId", "ShardCount", "Data", "PartitionKey", "Records", "ShardIterator", "ShardIteratorType", "Limit",
                           "NextToken", "MaxResults", "ResourceARN", "Tags", "TagKeys", "ArchiveName", "ReplayName", "EventSourceArn",
                           "Destination", "EventStartTime", "EventEndTime", "ConnectionName", "AuthorizationType", "AuthParameters",
                           "InvocationEndpoint", "HttpMethod", "logGroupName", "logStreamName", "logEvents", "DeliveryStreamName", "Record",
                           "ShardToSplit", "NewStartingHashKey", "AdjacentShardToMerge", "TargetShardCount", "RetentionPeriodHours",
                           "VisibilityTimeout", "WaitTimeSeconds", "MaxNumberOfMessages", "DelaySeconds", "SourceArn", "TaskHandle", "Label",
                           "Principal", "StatementId", "Force", "ConsumerName", "Event", "RoleArn", "Timestamp", "StartingSequenceNumber",
                           "ExplicitHashKey", "MessageGroupId", "MessageDeduplicationId", "tags", "Policy", "RetentionDays", "Description"]
    static let queryKeys = ["TopicArn", "Name", "Protocol", "Endpoint", "Message", "Subject", "MessageStructure", "MessageGroupId",
                            "MessageDeduplicationId", "AttributeName", "AttributeValue", "SubscriptionArn", "Token", "NextToken", "QueueUrl",
                            "QueueName", "MessageBody", "ReceiptHandle", "VisibilityTimeout", "WaitTimeSeconds", "MaxNumberOfMessages",
                            "Attribute.1.Name", "Attribute.1.Value", "AttributeName.1", "MessageAttribute.1.Name", "MessageAttribute.1.Value.DataType",
                            "MessageAttribute.1.Value.StringValue", "MessageAttribute.1.Value.BinaryValue", "MessageAttributes.entry.1.Name",
                            "MessageAttributes.entry.1.Value.DataType", "MessageAttributes.entry.1.Value.StringValue", "Attributes.entry.1.key",
                            "Attributes.entry.1.value", "Tags.member.1.Key", "Tags.member.1.Value", "TagKeys.member.1", "ResourceArn",
                            "PublishBatchRequestEntries.member.1.Id", "PublishBatchRequestEntries.member.1.Message",
                            "PublishBatchRequestEntries.member.11.Id", "SendMessageBatchRequestEntry.1.Id", "SendMessageBatchRequestEntry.1.MessageBody",
                            "DeleteMessageBatchRequestEntry.1.Id", "Label", "AWSAccountId.1", "ActionName.1", "ReturnSubscriptionArn",
                            "AuthenticateOnUnsubscribe", "PhoneNumber", "TargetArn", "DelaySeconds", "Tag.1.Key", "Tag.1.Value"]
    static let strings = ["work", "jobs.fifo", "nosuch", "", "alerts", "orders", "default", "clicks", "echo", "to-work", "fz",
                          "http://localhost:4566/\(account)/work", "http://localhost:4566/\(account)/jobs.fifo", "http://localhost:4566/999/work",
                          "arn:aws:sqs:us-east-1:\(account):work", "arn:aws:sns:us-east-1:\(account):alerts", "arn:aws:sns:us-east-1:\(account):alerts:x",
                          "arn:aws:kinesis:us-east-1:\(account):stream/clicks", "arn:aws:events:us-east-1:\(account):event-bus/orders",
                          "arn:aws:events:us-east-1:\(account):rule/orders/to-work", "arn:aws:lambda:us-east-1:\(account):function:echo",
                          "arn:aws:sqs:", "arn::::", "sqs", "lambda", "http", "https://127.0.0.1:1/x", "email", "application", "aGVsbG8=", "%%",
                          "shardId-000000000000", "shardId-000000000001", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "AFTER_SEQUENCE_NUMBER",
                          "rate(1 minute)", "cron(0 12 * * ? *)", "rate(0 minutes)", "ENABLED", "DISABLED", "All", "String", "Number",
                          "Binary", "String.x", "{\"source\":[\"shop\"]}", "{\"a\":[{\"numeric\":[\">\",1e400]}]}", "{", "json",
                          "FifoQueue", "RedrivePolicy", "RawMessageDelivery", "FilterPolicy", "DisplayName", "Policy", "*", "..", "../..",
                          String(repeating: "q", count: 81), String(repeating: "b", count: 300), "é\u{301}", "\u{1}", "<&>"]
    static let numbers = ["0", "-1", "1", "10", "11", "20", "21", "43200", "43201", "2147483648", "9223372036854775807",
                          "18446744073709551616", "1e400", "1.5", "-0", "340282366920938463463374607431768211456"]

    static func pick<T>(_ items: [T], _ g: inout SeededGenerator) -> T { items[Int(g.next() % UInt64(items.count))] }

    /// One request.
    static func request(_ g: inout SeededGenerator) -> [UInt8] {
        switch g.next() % 8 {
        case 0, 1, 2:
            let (prefix, version, operations) = pick(jsonServices, &g)
            let operation = g.next() % 10 == 0 ? pick(kinesisOperations, &g) : pick(operations, &g)
            return R.json("\(prefix).\(operation)", jsonObject(&g, depth: 0), version: g.next() % 8 == 0 ? "1.0" : version)
        case 3, 4:
            let (service, version, operations) = pick(queryOperations, &g)
            var parameters = ["Action=\(pick(operations, &g))"]
            for _ in 0..<(g.next() % 6) { parameters.append("\(pick(queryKeys, &g))=\(PercentEncoding.encode(pick(strings + numbers, &g)))") }
            if g.next() % 6 != 0 { parameters.append("Version=\(g.next() % 5 == 0 ? pick(["2010-03-31", "2012-11-05", "2011-06-15", "x"], &g) : version)") }
            let signedAs = g.next() % 5 == 0 ? pick(["sns", "sqs", "sts", "events", "lambda"], &g) : service
            if g.next() % 8 == 0 { return R.raw("GET", "/?" + parameters.joined(separator: "&"), headers: R.signature(signedAs), body: []) }
            return R.form(parameters.joined(separator: "&"), service: signedAs, path: g.next() % 4 == 0 ? "/\(account)/work" : "/")
        case 5:
            var pairs: [(String, CBORValue)] = []
            for _ in 0..<(g.next() % 5) { pairs.append((pick(jsonKeys, &g), cborValue(&g, depth: 0))) }
            return R.cbor(pick(kinesisOperations, &g), .textMap(pairs))
        default:
            let function = pick(["echo", "nosuch", "arn:aws:lambda:us-east-1:\(account):function:echo", "echo:1", "echo:$LATEST", "%2e%2e",
                                 String(repeating: "f", count: 200), "arn:aws:lambda:us-east-1:999:function:echo"], &g)
            let path = pick(["/2015-03-31/functions/F/invocations", "/2015-03-31/functions/F", "/2015-03-31/functions/F/configuration",
                             "/2015-03-31/functions/F/code", "/2014-11-13/functions/F/invoke-async/", "/2017-10-31/functions/F/concurrency",
                             "/2019-09-30/functions/F/concurrency", "/2019-09-25/functions/F/event-invoke-config",
                             "/2019-09-25/functions/F/event-invoke-config/list", "/2015-03-31/event-source-mappings/F",
                             "/2015-03-31/event-source-mappings/", "/2015-03-31/functions/", "/2016-08-19/account-settings/",
                             "/2017-03-31/tags/F", "/2015-03-31/functions/F/policy"], &g)
                .replacingOccurrences(of: "F", with: PercentEncoding.encode(function))
            let query = g.next() % 4 == 0 ? "?" + pick(["Qualifier=1", "FunctionName=echo", "MaxItems=0", "Marker=zz", "EventSourceArn=arn%3A", "MaxItems=-1"], &g) : ""
            let method = pick(["GET", "POST", "PUT", "DELETE", "PATCH"], &g)
            let headers = g.next() % 2 == 0 ? "X-Amz-Invocation-Type: \(pick(["Event", "RequestResponse", "DryRun", "event", ""], &g))\r\n" : ""
            return R.lambda(method, path + query, g.next() % 4 == 0 ? "" : jsonObject(&g, depth: 0), headers: headers)
        }
    }

    static func jsonObject(_ g: inout SeededGenerator, depth: Int) -> String {
        var members: [String] = []
        for _ in 0..<(g.next() % (depth == 0 ? 6 : 3)) { members.append("\"\(pick(jsonKeys, &g))\":\(jsonValue(&g, depth: depth + 1))") }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func jsonValue(_ g: inout SeededGenerator, depth: Int) -> String {
        switch g.next() % (depth >= 3 ? 4 : 7) {
        case 0, 1: return JSONValue.string(pick(strings, &g)).jsonText
        case 2: return pick(numbers + ["true", "false", "null"], &g)
        case 3: return "[" + (0..<(g.next() % 3)).map { _ in JSONValue.string(pick(strings, &g)).jsonText }.joined(separator: ",") + "]"
        case 4: return "[" + (0..<(g.next() % 3)).map { _ in jsonObject(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        default: return jsonObject(&g, depth: depth + 1)
        }
    }

    static func cborValue(_ g: inout SeededGenerator, depth: Int) -> CBORValue {
        switch g.next() % (depth >= 2 ? 6 : 8) {
        case 0: return .text(pick(strings, &g))
        case 1: return .bytes(Array(pick(strings, &g).utf8))
        case 2: return .unsigned(pick([0, 1, 20, 1 << 31, 1 << 63, .max], &g))
        case 3: return .negative(pick([0, 1, .max], &g))
        case 4: return pick([.float(1.5), .float(.nan), .float(.infinity), .tagged(1, .unsigned(1_767_225_600)), .tagged(1, .text("x")), .null, .undefined, .bool(true), .simple(99)], &g)
        case 5: return .map([])
        case 6: return .array((0..<(g.next() % 3)).map { _ in cborValue(&g, depth: depth + 1) })
        default: return .textMap((0..<(g.next() % 3)).map { _ in (pick(jsonKeys, &g), cborValue(&g, depth: depth + 1)) })
        }
    }
}
