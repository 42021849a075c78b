import EventRouter

/// The rule-file loader: the bytes of one `Rules/*.json` file read and validated as
/// `validate` and `replay` do. Every problem has a message, a workspace is produced exactly
/// when no problem is an error, and validating the same text twice gives the same answer.
struct RuleFileTarget: FuzzTarget {
    let name = "rulefile"
    let summary = "Workspace rule file (Rules/*.json) reading and validation: errors ⇔ no workspace, messages present, deterministic"
    let maximumInputSize = 8192

    var seeds: [[UInt8]] {
        [
            """
            {"Account":"123456789012","Region":"us-east-1","EventBuses":[{"Name":"orders"}],
             "Queues":[{"QueueName":"q","VisibilityTimeout":60,"RedrivePolicy":{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":3}},
              {"QueueName":"dlq"},{"QueueName":"f.fifo","FifoQueue":true}],
             "Rules":[{"Name":"r","EventBusName":"orders","EventPattern":{"source":["shop"],"detail":{"n":[{"numeric":[">",5]}]}},
              "Targets":[{"Id":"t","Arn":"arn:aws:sqs:us-east-1:123456789012:q",
               "RetryPolicy":{"MaximumRetryAttempts":3,"MaximumEventAgeInSeconds":600},
               "DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:123456789012:dlq"},
               "InputTransformer":{"InputPathsMap":{"o":"$.detail.o"},"InputTemplate":"{\\"order\\": <o>}"}}]}]}
            """,
            #"{"Rules":[{"Name":"all","EventPattern":{"source":[{"prefix":""}]},"Targets":[{"Id":"1","Arn":"arn:aws:sqs:us-east-1:123456789012:q","Input":"{}"}]}],"Queues":[{"QueueName":"q"}]}"#,
            #"{"Streams":[{"Name":"s","ShardCount":2}],"Rules":[{"Name":"k","EventPattern":{"a":["b"]},"Targets":[{"Id":"s","Arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","KinesisParameters":{"PartitionKeyPath":"$.id"}}]}]}"#,
            #"{"Topics":[{"Name":"t"}],"Archives":[{"ArchiveName":"a","EventSourceArn":"arn:aws:events:us-east-1:123456789012:event-bus/default","RetentionDays":1}]}"#,
            #"{}"#, #"[]"#, #"{"Rules":[{"Name":"x","State":"DISABLED","ScheduleExpression":"rate(5 minutes)","Targets":[]}]}"#,
        ].map(\.bytes)
    }

    var dictionary: [[UInt8]] {
        ["\"Rules\":", "\"Queues\":", "\"Targets\":", "\"EventBuses\":", "\"Topics\":", "\"Streams\":", "\"Archives\":",
         "\"Account\":", "\"Region\":", "\"Policy\":", "\"InputPath\":", "\"InputTransformer\":", "\"SqsParameters\":",
         "\"MessageGroupId\":", "\"arn:aws:sqs:us-east-1:123456789012:q\"", "\"arn:aws:sqs:eu-west-1:210987654321:q\"",
         "\"arn:aws:events:us-east-1:123456789012:event-bus/orders\"", "\"arn:aws:lambda:us-east-1:123456789012:function:f\"",
         "\"$.detail\"", "\"<aws.events.event>\"", "-1", "86400", "1209600", "4294967296"].map(\.bytes)
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        // Rule files must be UTF-8 text, as WorkspaceRuleFiles reads them.
        guard let text = String(validating: input, as: UTF8.self) else { return .rejected }
        let files = [(name: "Rules/fuzz.json", text: text)]
        let result = WorkspaceLoader.validate(files: files)
        let errors = result.problems.filter { $0.severity == .error }
        try require((result.workspace == nil) == !errors.isEmpty,
                    "workspace \(result.workspace == nil ? "missing" : "present") with \(errors.count) errors")
        for p in result.problems {
            try require(!p.message.isEmpty, "a problem without a message at \(p.path)")
            try require(!p.path.isEmpty, "a problem without a path: \(p.message)")
        }
        let again = WorkspaceLoader.validate(files: files)
        try require(again.problems == result.problems, "validating twice gives different problems")
        // Keep everything that is JSON as a base: invalid files are where validation works.
        return (try? JSONParser.parse(text)) == nil ? .rejected : .accepted
    }
}
