/// The `Queues` section of rule files, with the runtime's own redrive check.
extension WorkspaceValidator {
    mutating func readQueues() {
        for entry in sections["Queues"] ?? [] {
            fields.file = entry.file
            let o = entry.object
            guard let configuration = QueueConfiguration.read(o, at: entry.path, account: entry.account, region: entry.region, fields: &fields) else { continue }
            let queue = QueueDeclaration(configuration: configuration, json: o, file: entry.file)
            if let i = queueIndex[queue.arn] {
                error(entry.file, "\(entry.path).QueueName", "duplicate queue '\(queue.name)' in account \(queue.account) (first declared in \(queues[i].file))")
                continue
            }
            accounts.insert(queue.account)
            queueIndex[queue.arn] = queues.count
            queues.append(queue)
        }
        // Redrive targets: the runtime's own check (QueueConfiguration.redriveProblem), so that
        // validate accepts exactly what replay can run.
        for queue in queues {
            guard let dlq = queue.configuration.redrivePolicy?.deadLetterTargetArn else { continue }
            let path = "$.Queues[?(@.QueueName=='\(queue.name)')].RedrivePolicy.deadLetterTargetArn"
            do {
                let arn = try ARN(parsing: dlq)
                if arn.kind != .queue {
                    error(queue.file, path, "deadLetterTargetArn must be an SQS queue ARN, not a \(arn.kind.rawValue) ARN")
                    continue
                }
                let target = queueIndex[arn.description].map { queues[$0].configuration }
                if target == nil, arn.account == queue.account, arn.region == queue.configuration.region, arn.description != queue.arn {
                    error(queue.file, path, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
                } else if let problem = queue.configuration.redriveProblem(deadLetterQueue: target) {
                    error(queue.file, path, problem)
                }
            } catch {
                self.error(queue.file, path, error.message)
            }
        }
    }
}
