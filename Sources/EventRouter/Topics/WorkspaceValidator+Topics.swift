/// The `Topics` section of rule files and their subscriptions' endpoints and dead-letter queues.
extension WorkspaceValidator {
    mutating func readTopics() {
        for entry in sections["Topics"] ?? [] {
            let (read, problems) = TopicConfiguration.read(json: entry.object, account: entry.account, region: entry.region)
            self.problems += problems.map { $0.rebased(onto: entry.path).inFile(entry.file) }
            guard let configuration = read else { continue }
            let topic = TopicDeclaration(configuration: configuration, file: entry.file, path: entry.path)
            if let first = topics.first(where: { $0.arn == topic.arn }) {
                error(entry.file, "\(entry.path).TopicName", "duplicate topic '\(topic.name)' in account \(topic.account) (first declared in \(first.file))")
                continue
            }
            accounts.insert(topic.account)
            declaredARNs[topic.arn] = "Topics"
            topics.append(topic)
        }
    }

    /// Every subscription's endpoint (queue or function) and dead-letter queue must be declared,
    /// with the topic's FIFO-ness.
    mutating func checkSubscriptions() {
        for topic in topics {
            let fifo = topic.configuration.fifo
            for (i, sub) in topic.configuration.subscriptions.enumerated() {
                let path = "\(topic.path).Subscription[\(i)]"
                var queuesToCheck: [(String, String)] = []
                if sub.endpointProtocol == .sqs { queuesToCheck.append(("\(path).Endpoint", sub.endpoint)) }
                if let dlq = sub.deadLetterTargetArn { queuesToCheck.append(("\(path).RedrivePolicy.deadLetterTargetArn", dlq)) }
                for (at, text) in queuesToCheck {
                    guard let arn = try? ARN(parsing: text) else { continue }  // TopicConfiguration reported it
                    if let q = queueIndex[arn.description] {
                        if queues[q].fifo != fifo {
                            error(topic.file, at, "queue '\(arn.name)' is \(queues[q].fifo ? "a FIFO" : "a standard") queue, but topic '\(topic.name)' is \(fifo ? "a FIFO" : "a standard") topic; use \(fifo ? "a FIFO" : "a standard") queue")
                        }
                    } else if accounts.contains(arn.account) {
                        error(topic.file, at, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
                    } else {
                        warning(topic.file, at, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it are dead-lettered or dropped")
                    }
                }
                if sub.endpointProtocol == .lambda, let arn = try? ARN(parsing: sub.endpoint), arn.kind == .function {
                    let known = functions.contains { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
                    if !known {
                        if accounts.contains(arn.account) {
                            error(topic.file, "\(path).Endpoint", missingFunction(arn, subject: arn.description))
                        } else {
                            warning(topic.file, "\(path).Endpoint", "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it are dead-lettered or dropped")
                        }
                    }
                }
            }
        }
    }
}
