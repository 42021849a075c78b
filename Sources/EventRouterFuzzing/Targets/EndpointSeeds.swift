import EventRouter
import EventRouterHTTP

/// The starting inputs and the dictionary of the `endpoint` target: real requests of every
/// protocol the endpoint serves, against the resources of ``EndpointWorld``.
enum EndpointSeeds {
    typealias R = EndpointRequests
    static let account = EndpointWorld.account
    static let work = R.queueURL + "work"
    static let fifo = R.queueURL + "jobs.fifo"
    static let alerts = "arn%3Aaws%3Asns%3Aus-east-1%3A\(account)%3Aalerts"
    static let workArn = "arn:aws:sqs:us-east-1:\(account):work"

    static var all: [[UInt8]] { eventBridge + sqs + sns + kinesis + lambda + others }

    static let eventBridge: [[UInt8]] = [
        R.json("AWSEvents.PutEvents", #"{"Entries":[{"Source":"shop","DetailType":"OrderPlaced","Detail":"{\"id\":1,\"total\":9.5}","EventBusName":"orders","Resources":["arn:aws:s3:::b"]},{"Source":"x","DetailType":"y","Detail":"{}"}]}"#, version: "1.1"),
        R.json("AWSEvents.PutRule", #"{"Name":"fz","EventBusName":"orders","EventPattern":"{\"source\":[\"shop\"],\"detail\":{\"total\":[{\"numeric\":[\">\",5]}]}}","State":"ENABLED"}"#, version: "1.1"),
        R.json("AWSEvents.PutRule", #"{"Name":"tick","ScheduleExpression":"rate(5 minutes)","State":"ENABLED"}"#, version: "1.1"),
        R.json("AWSEvents.PutTargets", #"{"Rule":"fz","EventBusName":"orders","Targets":[{"Id":"q","Arn":"\#(workArn)","InputTransformer":{"InputPathsMap":{"t":"$.detail.total"},"InputTemplate":"{\"total\": <t>}"}},{"Id":"f","Arn":"arn:aws:lambda:us-east-1:\#(account):function:echo"}]}"#, version: "1.1"),
        R.json("AWSEvents.ListRules", #"{"EventBusName":"orders","NamePrefix":"t","Limit":1}"#, version: "1.1"),
        R.json("AWSEvents.DescribeRule", #"{"Name":"to-work","EventBusName":"arn:aws:events:us-east-1:\#(account):event-bus/orders"}"#, version: "1.1"),
        R.json("AWSEvents.ListTargetsByRule", #"{"Rule":"to-work","EventBusName":"orders"}"#, version: "1.1"),
        R.json("AWSEvents.RemoveTargets", #"{"Rule":"fz","EventBusName":"orders","Ids":["q"]}"#, version: "1.1"),
        R.json("AWSEvents.CreateEventBus", #"{"Name":"fz-bus","Tags":[{"Key":"k","Value":"v"}]}"#, version: "1.1"),
        R.json("AWSEvents.TestEventPattern", #"{"EventPattern":"{\"source\":[{\"prefix\":\"sh\"}]}","Event":"{\"id\":\"1\",\"account\":\"123456789012\",\"source\":\"shop\",\"time\":\"2026-01-01T00:00:00Z\",\"region\":\"us-east-1\",\"detail-type\":\"t\",\"resources\":[],\"detail\":{}}"}"#, version: "1.1"),
        R.json("AWSEvents.CreateArchive", #"{"ArchiveName":"fz","EventSourceArn":"arn:aws:events:us-east-1:\#(account):event-bus/orders","RetentionDays":1}"#, version: "1.1"),
        R.json("AWSEvents.DeleteRule", #"{"Name":"fz","EventBusName":"orders","Force":true}"#, version: "1.1"),
    ]

    static let sqs: [[UInt8]] = [
        R.json("AmazonSQS.SendMessage", #"{"QueueUrl":"\#(work)","MessageBody":"hello","DelaySeconds":0,"MessageAttributes":{"a":{"DataType":"String","StringValue":"v"},"n":{"DataType":"Number","StringValue":"12"},"b":{"DataType":"Binary","BinaryValue":"AAEC"}}}"#, version: "1.0"),
        R.json("AmazonSQS.ReceiveMessage", #"{"QueueUrl":"\#(work)","MaxNumberOfMessages":10,"WaitTimeSeconds":20,"VisibilityTimeout":0,"MessageAttributeNames":["All"],"MessageSystemAttributeNames":["All"]}"#, version: "1.0"),
        R.json("AmazonSQS.SendMessageBatch", #"{"QueueUrl":"\#(fifo)","Entries":[{"Id":"a","MessageBody":"1","MessageGroupId":"g"},{"Id":"b","MessageBody":"2","MessageGroupId":"g","MessageDeduplicationId":"d"}]}"#, version: "1.0"),
        R.json("AmazonSQS.CreateQueue", #"{"QueueName":"fz","Attributes":{"VisibilityTimeout":"5","MessageRetentionPeriod":"60","RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:work-dlq\",\"maxReceiveCount\":\"3\"}"},"tags":{"k":"v"}}"#, version: "1.0"),
        R.json("AmazonSQS.GetQueueAttributes", #"{"QueueUrl":"\#(work)","AttributeNames":["All"]}"#, version: "1.0"),
        R.json("AmazonSQS.SetQueueAttributes", #"{"QueueUrl":"\#(work)","Attributes":{"DelaySeconds":"1","ReceiveMessageWaitTimeSeconds":"20"}}"#, version: "1.0"),
        R.json("AmazonSQS.DeleteMessage", #"{"QueueUrl":"\#(work)","ReceiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a"}"#, version: "1.0"),
        R.json("AmazonSQS.ChangeMessageVisibilityBatch", #"{"QueueUrl":"\#(work)","Entries":[{"Id":"a","ReceiptHandle":"x","VisibilityTimeout":43200}]}"#, version: "1.0"),
        R.json("AmazonSQS.GetQueueUrl", #"{"QueueName":"jobs.fifo","QueueOwnerAWSAccountId":"\#(account)"}"#, version: "1.0"),
        R.json("AmazonSQS.ListQueues", #"{"QueueNamePrefix":"w","MaxResults":1}"#, version: "1.0"),
        R.json("AmazonSQS.PurgeQueue", #"{"QueueUrl":"\#(R.queueURL)inbox"}"#, version: "1.0"),
        R.json("AmazonSQS.StartMessageMoveTask", #"{"SourceArn":"arn:aws:sqs:us-east-1:\#(account):work-dlq"}"#, version: "1.0"),
        R.form("Action=SendMessage&QueueUrl=\(PercentEncoding.encode(work))&MessageBody=hi%20there&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=v&Version=2012-11-05", service: "sqs"),
        R.form("Action=ReceiveMessage&MaxNumberOfMessages=5&WaitTimeSeconds=3&AttributeName.1=All&Version=2012-11-05", service: "sqs", path: "/\(account)/work"),
        R.form("Action=CreateQueue&QueueName=fz.fifo&Attribute.1.Name=FifoQueue&Attribute.1.Value=true&Version=2012-11-05", service: "sqs"),
        R.form("Action=DeleteMessageBatch&QueueUrl=\(PercentEncoding.encode(work))&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=x&Version=2012-11-05", service: "sqs"),
        R.raw("GET", "/?Action=ListQueues&Version=2012-11-05", headers: R.signature("sqs"), body: []),
    ]

    static let sns: [[UInt8]] = [
        R.form("Action=Publish&TopicArn=\(alerts)&Message=hello&Subject=s&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v&Version=2010-03-31", service: "sns"),
        R.form("Action=CreateTopic&Name=fz&Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=Fuzz&Tags.member.1.Key=k&Tags.member.1.Value=v&Version=2010-03-31", service: "sns"),
        R.form("Action=Subscribe&TopicArn=\(alerts)&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A\(account)%3Ainbox&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true&Attributes.entry.2.key=FilterPolicy&Attributes.entry.2.value=%7B%22a%22%3A%5B%22v%22%5D%7D&ReturnSubscriptionArn=true&Version=2010-03-31", service: "sns"),
        R.form("Action=Subscribe&TopicArn=\(alerts)&Protocol=http&Endpoint=http%3A%2F%2F127.0.0.1%3A1%2Fhook&Version=2010-03-31", service: "sns"),
        R.form("Action=PublishBatch&TopicArn=\(alerts)&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=m1&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=m2&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Name=n&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.DataType=Number&PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.StringValue=3&Version=2010-03-31", service: "sns"),
        R.form("Action=ListSubscriptionsByTopic&TopicArn=\(alerts)&Version=2010-03-31", service: "sns"),
        R.form("Action=GetTopicAttributes&TopicArn=\(alerts)&Version=2010-03-31", service: "sns"),
        R.form("Action=SetTopicAttributes&TopicArn=\(alerts)&AttributeName=DisplayName&AttributeValue=x&Version=2010-03-31", service: "sns"),
        R.form("Action=ListTopics&NextToken=abc&Version=2010-03-31", service: "sns"),
        R.form("Action=Unsubscribe&SubscriptionArn=\(alerts)%3A00000000-0000-0000-0000-000000000000&Version=2010-03-31", service: "sns"),
    ]

    static let kinesis: [[UInt8]] = [
        R.json("Kinesis_20131202.PutRecords", #"{"StreamName":"clicks","Records":[{"Data":"aGVsbG8=","PartitionKey":"p"},{"Data":"","PartitionKey":"q","ExplicitHashKey":"340282366920938463463374607431768211455"}]}"#, version: "1.1"),
        R.json("Kinesis_20131202.PutRecord", #"{"StreamARN":"arn:aws:kinesis:us-east-1:\#(account):stream/clicks","Data":"eyJhIjoxfQ==","PartitionKey":"k","SequenceNumberForOrdering":"0"}"#, version: "1.1"),
        R.json("Kinesis_20131202.GetShardIterator", #"{"StreamName":"clicks","ShardId":"shardId-000000000001","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"49590338271490256608559692538361571095921575989136588898"}"#, version: "1.1"),
        R.json("Kinesis_20131202.GetRecords", #"{"ShardIterator":"AAAAAAAAAAGbBVcHk2pGMSQL+XQ1mE0yXC5Ls2ucsm0vzlr","Limit":10}"#, version: "1.1"),
        R.json("Kinesis_20131202.ListShards", #"{"StreamName":"clicks","MaxResults":1}"#, version: "1.1"),
        R.json("Kinesis_20131202.CreateStream", #"{"StreamName":"fz","ShardCount":3}"#, version: "1.1"),
        R.json("Kinesis_20131202.DescribeStream", #"{"StreamName":"clicks","Limit":1,"ExclusiveStartShardId":"shardId-000000000000"}"#, version: "1.1"),
        R.cbor("PutRecord", .textMap([("StreamName", .text("clicks")), ("Data", .bytes(Array("hello".utf8))), ("PartitionKey", .text("p"))])),
        R.cbor("PutRecords", .textMap([("StreamName", .text("clicks")), ("Records", .array([
            .textMap([("Data", .bytes([0, 1, 2])), ("PartitionKey", .text("a"))]),
            .textMap([("Data", .bytes([])), ("PartitionKey", .text("b")), ("ExplicitHashKey", .text("1"))]),
        ]))])),
        R.cbor("GetShardIterator", .textMap([("StreamName", .text("clicks")), ("ShardId", .text("shardId-000000000000")),
                                             ("ShardIteratorType", .text("AT_TIMESTAMP")), ("Timestamp", .tagged(1, .float(1_767_225_600.5)))])),
        R.cbor("DescribeStreamSummary", .textMap([("StreamName", .text("clicks"))])),
    ]

    static let lambda: [[UInt8]] = [
        R.lambda("POST", "/2015-03-31/functions/echo/invocations", #"{"a":1}"#, headers: "X-Amz-Invocation-Type: RequestResponse\r\nX-Amz-Log-Type: Tail\r\n"),
        R.lambda("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A\(account)%3Afunction%3Aecho/invocations?Qualifier=%24LATEST", #"{"b":[true,null]}"#, headers: "X-Amz-Invocation-Type: Event\r\n"),
        R.lambda("POST", "/2015-03-31/functions/nosuch/invocations", "{}", headers: "X-Amz-Invocation-Type: DryRun\r\nX-Amz-Client-Context: eyJ9\r\n"),
        R.lambda("GET", "/2015-03-31/functions/echo"),
        R.lambda("GET", "/2015-03-31/functions/?MaxItems=1&Marker=x"),
        R.lambda("POST", "/2015-03-31/event-source-mappings/", #"{"FunctionName":"echo","EventSourceArn":"arn:aws:sqs:us-east-1:\#(account):inbox","BatchSize":5,"MaximumBatchingWindowInSeconds":1,"Enabled":true}"#),
        R.lambda("POST", "/2015-03-31/event-source-mappings/", #"{"FunctionName":"echo","EventSourceArn":"arn:aws:kinesis:us-east-1:\#(account):stream/clicks","StartingPosition":"TRIM_HORIZON","BatchSize":100}"#),
        R.lambda("GET", "/2015-03-31/event-source-mappings/?FunctionName=echo&MaxItems=2"),
        R.lambda("DELETE", "/2015-03-31/event-source-mappings/00000000-0000-0000-0000-000000000000"),
        R.lambda("PUT", "/2017-10-31/functions/echo/concurrency", #"{"ReservedConcurrentExecutions":5}"#),
        R.lambda("PUT", "/2019-09-25/functions/echo/event-invoke-config", #"{"MaximumRetryAttempts":0,"MaximumEventAgeInSeconds":60,"DestinationConfig":{"OnFailure":{"Destination":"arn:aws:sqs:us-east-1:\#(account):work-dlq"}}}"#),
        R.lambda("GET", "/2016-08-19/account-settings/"),
    ]

    static let others: [[UInt8]] = [
        R.form("Action=GetCallerIdentity&Version=2011-06-15", service: "sts"),
        R.raw("GET", "/?Action=GetCallerIdentity&Version=2011-06-15", headers: "", body: []),
        R.json("Logs_20140328.PutLogEvents", #"{"logGroupName":"/fz","logStreamName":"s","logEvents":[{"timestamp":1767225600000,"message":"m"}]}"#, version: "1.1"),
        R.json("Firehose_20150804.PutRecord", #"{"DeliveryStreamName":"fz","Record":{"Data":"aGk="}}"#, version: "1.1"),
        R.raw("GET", "/_eventrouter/health", headers: "", body: []),
        R.raw("GET", "/_eventrouter/graph?format=json", headers: "", body: []),
        R.raw("POST", "/_eventrouter/shutdown", headers: "", body: []),
        R.raw("POST", "/service/Kinesis/operation/PutRecord", headers: "Content-Type: application/cbor\r\nsmithy-protocol: rpc-v2-cbor\r\n", body: [0xA0]),
    ]

    /// Tokens the mutations insert: operations, targets, ARNs (valid and broken), encodings, odd numbers, long names.
    static let dictionary: [[UInt8]] = ([
        "AWSEvents.", "AmazonSQS.", "Kinesis_20131202.", "Logs_20140328.", "Firehose_20150804.", "DynamoDB_20120810.",
        "PutEvents", "PutRule", "PutTargets", "DeleteRule", "ListRules", "CreateEventBus", "DeleteEventBus", "StartReplay", "PutPermission",
        "SendMessage", "ReceiveMessage", "DeleteMessage", "DeleteQueue", "PurgeQueue", "SendMessageBatch", "ChangeMessageVisibility",
        "ListDeadLetterSourceQueues", "TagQueue", "CreateQueue", "Publish", "PublishBatch", "CreateTopic", "DeleteTopic", "Subscribe",
        "ConfirmSubscription", "SetSubscriptionAttributes", "TagResource", "PutRecords", "GetRecords", "SplitShard", "MergeShards",
        "UpdateShardCount", "DeleteStream", "RegisterStreamConsumer", "GetCallerIdentity", "AssumeRole",
        "Action=", "&Action=Publish", "Version=", "&Version=2012-11-05", "&Version=2010-03-31", "2011-06-15",
        "X-Amz-Target: ", "Content-Type: application/x-amz-json-1.0\r\n", "Content-Type: application/x-www-form-urlencoded\r\n",
        "Content-Type: application/x-amz-cbor-1.1\r\n", "X-Amz-Invocation-Type: Event\r\n", "Transfer-Encoding: chunked\r\n",
        "/invocations", "/concurrency", "/2015-03-31/functions/", "/2015-03-31/event-source-mappings/", "/2019-09-25/functions/",
        "/_eventrouter/state", "/_eventrouter/export", "/\(account)/work",
        "arn:aws:sqs:us-east-1:\(account):work", "arn:aws:sqs:us-east-1:\(account):", "arn:aws:sns:us-east-1:\(account):alerts",
        "arn:aws:lambda:us-east-1:\(account):function:echo:1", "arn:aws:kinesis:us-east-1:\(account):stream/clicks",
        "arn:aws:events:us-east-1:\(account):event-bus/orders", "arn:aws:events:us-east-1:\(account):rule/orders/to-work",
        "arn:aws:sqs::", "arn:", "arn:aws:sqs:us-east-1:12345:work", "arn:aws:iam::\(account):role/r", "arn%3Aaws%3A",
        "%", "%zz", "%2", "%00", "%C3%A9", "%FF", "%25", "=", "&", "&&", "+", "..", "../", "/./", "//", "?", "#", ";",
        "aGVsbG8=", "====", "AAEC", "_-", "AA", "A", "!!!", "99999999999999999999999999", "-1", "2147483648", "4294967296",
        "9.9e999", "1e-7", "NaN", "0x10", "shardId-000000000000", "shardId-999999999999", "$LATEST", "\"QueueUrl\":", "\"Entries\":",
        "\"Data\":", "\"WaitTimeSeconds\":", "\"MaxNumberOfMessages\":", "\"Attributes\":", "\"Tags\":",
        String(repeating: "a", count: 81), String(repeating: "x", count: 257), String(repeating: "é", count: 40),
        "\u{0}", "\u{1}", "\u{FFFE}", "<", "&amp;", "]]>",
    ] as [String]).map { Array($0.utf8) } + [[0xA0], [0xBF], [0xFF], [0x5F], [0x40, 0x41], [0x9F, 0xFF], [0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]]
}
