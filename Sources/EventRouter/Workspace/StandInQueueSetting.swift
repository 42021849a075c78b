/// `--stand-in-queue NAME`: the standard queue (in the default account and region; created when
/// no rule file declares it) that receives deliveries to targets EventRouter does not run.
public struct StandInQueueSetting: Sendable, Hashable {
    /// The queue's name as given.
    public var queueName: String
    /// The ARNs of the workspace's targets that go to it.
    public var targets: [String]

    public init(queueName: String, targets: [String]) {
        self.queueName = queueName
        self.targets = targets
    }

    /// The queue's ARN in `defaults`' account and region.
    public func queueArn(_ defaults: RouterDefaults) -> String {
        "arn:aws:sqs:\(defaults.region):\(defaults.account):\(queueName)"
    }
}

extension WorkspaceValidator {
    /// Checks the `--stand-in-queue` queue: a declared standard queue of the default account and
    /// region, or one that can be created with that name (then added to the workspace's queues).
    mutating func checkStandInQueue() {
        guard let name = standInQueue else { return }
        let arn = "arn:aws:sqs:\(defaults.region):\(defaults.account):\(name)"
        if let i = queueIndex[arn] {
            if queues[i].fifo { error("--stand-in-queue", "$", "the stand-in queue '\(name)' is a FIFO queue; name a standard queue") }
            return
        }
        var json = JSONObject()
        json["QueueName"] = .string(name)
        do {
            let configuration = try QueueConfiguration(json: json, account: defaults.account, region: defaults.region)
            if configuration.fifo {
                error("--stand-in-queue", "$", "the stand-in queue '\(name)' is a FIFO queue; name a standard queue")
                return
            }
            queueIndex[arn] = queues.count
            queues.append(QueueDeclaration(configuration: configuration, json: json, file: "--stand-in-queue"))
        } catch {
            self.error("--stand-in-queue", "$", "'\(name)' cannot be a queue name: \(error.message)")
        }
    }
}
