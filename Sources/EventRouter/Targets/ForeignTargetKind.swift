/// A kind of rule target that EventRouter does not deliver to: AWS services it will not run
/// (Step Functions, ECS, Batch, SSM, …) and, in ``later``, kinds it does not deliver to yet
/// (none today). `validate` names the kind instead of calling the ARN malformed,
/// and `--stand-in-queue NAME` routes deliveries to such targets to a queue (``StandInTarget``).
public struct ForeignTargetKind: Sendable, Hashable {
    /// The AWS service part of the ARN (`states`, `ecs`, …).
    public var service: String
    /// What the target is, with its article: "a Step Functions state machine".
    public var description: String
    /// Whether EventRouter means to deliver to this kind in a later version.
    public var notYet: Bool

    /// The services EventRouter will not run, and what their targets are.
    static let services: [String: String] = [
        "states": "a Step Functions state machine",
        "ecs": "an ECS task",
        "batch": "a Batch job queue",
        "ssm": "an SSM Run Command or Automation document",
        "ssm-incidents": "an Incident Manager response plan",
        "codebuild": "a CodeBuild project",
        "codepipeline": "a CodePipeline pipeline",
        "redshift": "a Redshift cluster (Data API)",
        "redshift-serverless": "a Redshift Serverless workgroup (Data API)",
        "sagemaker": "a SageMaker pipeline",
        "inspector": "an Inspector assessment template",
        "execute-api": "an API Gateway endpoint",
        "appsync": "an AppSync GraphQL API",
        "ec2": "an EC2 action (snapshot, reboot, stop or terminate)",
        "kinesisvideo": "a Kinesis Video stream",
    ]

    /// Kinds a later version delivers to.
    static let later: [String: String] = [:]

    /// The kind of the target ARN `text`, when EventRouter does not deliver to it; `nil` for the
    /// kinds it delivers to and for text that is not an ARN. Read leniently (an SSM document ARN
    /// has no account), so the kind is named even where the ARN would not parse.
    public init?(targetArn text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        let service = String(parts[2])
        if let description = Self.services[service] {
            self.init(service: service, description: description, notYet: false)
        } else if let description = Self.later[service] {
            self.init(service: service, description: description, notYet: true)
        } else {
            return nil
        }
    }

    public init(service: String, description: String, notYet: Bool) {
        self.service = service
        self.description = description
        self.notYet = notYet
    }

    /// `targets a Step Functions state machine, which EventRouter does not run`.
    public var phrase: String {
        "targets \(description), which EventRouter \(notYet ? "does not deliver to yet" : "does not run")"
    }
}
