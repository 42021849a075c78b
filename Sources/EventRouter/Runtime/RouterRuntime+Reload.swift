/// Applying a hot reload's changes to the running resources (docs/hot-reload.md).
extension RouterRuntime {
    /// Applies `changes` between two valid file workspaces, all or nothing: new queues,
    /// streams and topics are created first (and removed again if one cannot be), then each
    /// bus's rules are swapped in one step. Deliveries already scheduled keep the target
    /// they were scheduled with; resources created through the API are never touched.
    /// - Returns: one line per thing done or kept, for the log, and the ARNs removed from the
    ///   files but kept running.
    /// - Throws: ``EventRouterError`` naming the resource when one cannot be created (then
    ///   nothing was changed).
    package func applyReload(_ changes: WorkspaceChanges) throws(EventRouterError) -> (lines: [String], kept: [String]) {
        var lines: [String] = []
        var kept: [String] = []
        var createdQueues: [String] = [], createdStreams: [String] = [], createdTopics: [String] = []
        var reconfigured: [(queue: MessageQueue, previous: QueueConfiguration)] = []
        func rollBack() {
            for (queue, previous) in reconfigured.reversed() { try? queues.setAttributes(of: queue, to: previous) }
            for arn in createdTopics { _ = topics.deleteTopic(arn: arn) }
            for arn in createdStreams { _ = try? streams.remove(arn) }
            for arn in createdQueues { try? queues.deleteQueue(arn) }
        }
        do {
            for declaration in changes.changedQueues {
                guard let queue = queues.queue(arn: declaration.arn) else {
                    _ = try queues.createQueue(declaration.configuration)
                    createdQueues.append(declaration.arn)
                    continue
                }
                let previous = queue.configuration
                try queues.setAttributes(of: queue, to: declaration.configuration)
                reconfigured.append((queue, previous))
            }
            for queue in changes.addedQueues {
                if queues.queue(arn: queue.arn) != nil {
                    lines.append("queue \(queue.arn) already exists (created through the API): it now comes from \(queue.file)")
                }
                let existed = queues.queue(arn: queue.arn) != nil
                _ = try queues.createQueue(queue.configuration)
                if !existed { createdQueues.append(queue.arn) }
            }
            try queues.validateRedrivePolicies()
            for stream in changes.addedStreams where (try? streams.stream(stream.arn)) == nil {
                _ = try streams.create(stream.configuration)
                createdStreams.append(stream.arn)
            }
            for topic in changes.addedTopics where topics.topic(arn: topic.arn) == nil {
                _ = try topics.createTopic(topic.configuration)
                createdTopics.append(topic.arn)
            }
        } catch {
            rollBack()
            throw EventRouterError(.validation, "cannot create a resource of the new files, so nothing was changed: \(error)", underlying: error)
        }
        lines += reconfigured.map { "queue \($0.queue.arn): attributes changed (messages it holds follow them from now on)" }
        lines += createdQueues.map { "queue \($0) created" } + createdStreams.map { "stream \($0) created" } + createdTopics.map { "topic \($0) created" }

        for bus in changes.addedBuses where !router.hasBus(arn: bus.arn) {
            router.createBus(bus.name, account: bus.account, region: bus.region)
            lines.append("bus \(bus.arn) created")
        }
        for busArn in Set(changes.putRules.keys).union(changes.removedRules.keys).sorted() {
            let put = changes.putRules[busArn] ?? [], removed = changes.removedRules[busArn] ?? []
            if !router.hasBus(arn: busArn) {
                // Every bus a new rule names is declared (validated) and created above.
                router.createBus((try? ARN(parsing: busArn))?.name ?? busArn, account: put.first?.account, region: put.first?.region)
            }
            router.replaceRules(onBus: busArn, put: put, remove: removed)
            for rule in put { lines.append("rule \(rule.arn) \(rule.enabled ? "" : "(disabled) ")put") }
            for name in removed { lines.append("rule \(name) removed from bus \(busArn)") }
        }
        for bus in changes.removedBuses {
            let left = router.rules(onBus: bus.arn)
            if left.isEmpty {
                router.removeBus(arn: bus.arn)
                lines.append("bus \(bus.arn) removed")
            } else {
                kept.append(bus.arn)
                lines.append("bus \(bus.arn) was removed from the files but is kept: \(left.count) rule\(left.count == 1 ? "" : "s") created through the API use it (\(left.map(\.name).joined(separator: ", ")))")
            }
        }
        for queue in changes.removedQueues {
            kept.append(queue.arn)
            lines.append("queue \(queue.arn) was removed from \(queue.file) but is kept, with any messages it holds, until the process ends (delete it with DeleteQueue)")
        }
        for topic in changes.removedTopics {
            kept.append(topic.arn)
            lines.append("topic \(topic.arn) was removed from \(topic.file) but is kept until the process ends (delete it with DeleteTopic)")
        }
        for stream in changes.removedStreams {
            kept.append(stream.arn)
            lines.append("stream \(stream.arn) was removed from \(stream.file) but is kept, with its records, until the process ends (delete it with DeleteStream)")
        }
        for topic in changes.changedTopics { lines.append("topic \(topic.arn): changed settings or subscriptions apply at the next start") }
        for stream in changes.changedStreams { lines.append("stream \(stream.arn): changed settings apply at the next start") }
        for name in changes.changedFunctionManifests { lines.append("function \(name): an added, removed or changed function.json applies at the next start (code changes apply at once)") }
        for section in changes.restartOnly { lines.append("\(section) changed: applies at the next start") }
        if let (connections, destinations, old) = changes.apiDestinations {
            // Those of the old files that are gone are removed; the API's own are kept.
            for d in old.apiDestinations where !destinations.contains(where: { $0.arn == d.arn }) {
                apiDestinations.removeDestination(account: d.account, region: d.region, name: d.name)
            }
            for c in old.connections where !connections.contains(where: { $0.arn == c.arn }) {
                apiDestinations.removeConnection(account: c.account, region: c.region, name: c.name)
            }
            for c in connections where !old.connections.contains(c) { apiDestinations.put(c) }
            for d in destinations where !old.apiDestinations.contains(d) { apiDestinations.put(d) }
            lines.append("Connections and ApiDestinations: \(connections.count) connection\(connections.count == 1 ? "" : "s") and \(destinations.count) API destination\(destinations.count == 1 ? "" : "s") from the files")
        }
        return (lines, kept)
    }
}
