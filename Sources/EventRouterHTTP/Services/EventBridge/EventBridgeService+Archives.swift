import EventRouter

/// CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive: read by
/// ``ArchiveDefinition/parse(_:account:problems:)``, the reader of the workspace's `Archives`.
extension EventBridgeService {
    func createArchive(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let definition = try archiveDefinition(input, account: account, base: nil)
        guard router.hasBus(arn: definition.sourceArn) else { throw .notFound("Event bus \(definition.source.name) does not exist.") }
        guard router.archives.archive(arn: definition.arn) == nil else { throw .alreadyExists("Archive \(definition.name) already exists.") }
        let now = router.clock.now
        router.archives.add(definition, info: .init(patternText: try input.string("EventPattern"), created: now, modified: now, createdThroughAPI: true))
        return ["ArchiveArn": .string(definition.arn), "State": "ENABLED", "CreationTime": .epoch(now)]
    }

    func describeArchive(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let archive = try existingArchive(input, account: account)
        var o = archiveJSON(archive)
        o["ArchiveArn"] = .string(archive.arn)
        o.set("Description", archive.definition.description)
        o.set("EventPattern", router.archives.info(arn: archive.arn)?.patternText)
        return .object(o)
    }

    func listArchives(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let prefix = try input.string("NamePrefix") ?? ""
        let source = try input.string("EventSourceArn")
        let state = try input.string("State")
        let archives = router.archives.all.filter { a in
            a.definition.source.account == account && a.definition.name.hasPrefix(prefix)
                && (source == nil || a.definition.sourceArn == source) && (state == nil || state == "ENABLED")
        }.sorted { $0.definition.name < $1.definition.name }
        let page = try input.page(archives)
        return .page("Archives", page.items.map { .object(archiveJSON($0)) }, nextToken: page.nextToken)
    }

    /// UpdateArchive: a new description, pattern or retention; the events kept stay.
    func updateArchive(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let archive = try existingArchive(input, account: account)
        let definition = try archiveDefinition(input, account: account, base: archive.definition)
        var info = router.archives.info(arn: archive.arn) ?? .init(created: store.started, modified: store.started, createdThroughAPI: false)
        if let text = try input.string("EventPattern") { info.patternText = text }
        info.modified = router.clock.now
        router.archives.update(definition, info: info)
        return ["ArchiveArn": .string(archive.arn), "State": "ENABLED", "CreationTime": .epoch(info.created)]
    }

    func deleteArchive(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let archive = try existingArchive(input, account: account)
        router.archives.remove(arn: archive.arn)
        store.forget(archive.arn)  // its tags
        return [:]
    }

    // MARK: - Helpers

    /// The archive `ArchiveName` names in the caller's account.
    func existingArchive(_ input: JSONInput, account: String) throws(AWSError) -> ArchiveStore {
        let name = try input.string("ArchiveName", required: true) ?? ""
        guard let archive = router.archives.archives(named: name, account: account).first else {
            throw .notFound("Archive \(name) does not exist.")
        }
        return archive
    }

    /// The request read as a workspace `Archives` entry (over `base` for UpdateArchive).
    private func archiveDefinition(_ input: JSONInput, account: String, base: ArchiveDefinition?) throws(AWSError) -> ArchiveDefinition {
        var o = JSONObject()
        if let base {
            o["ArchiveName"] = .string(base.name)
            o["EventSourceArn"] = .string(base.sourceArn)
            o["RetentionDays"] = .number(JSONNumber(base.retentionDays))
            o.set("Description", base.description)
            o.set("EventPattern", router.archives.info(arn: base.arn)?.patternText)
        }
        for key in ArchiveDefinition.keys where base == nil || (key != "ArchiveName" && key != "EventSourceArn") {
            guard let value = input.object[key], !value.isNull else { continue }
            o[key] = value
        }
        if base == nil {
            _ = try input.string("ArchiveName", required: true)
            _ = try input.string("EventSourceArn", required: true)
        }
        _ = try input.string("EventPattern")
        _ = try input.string("Description")
        _ = try input.integer("RetentionDays")
        var problems: [ValidationProblem] = []
        let parsed = ArchiveDefinition.parse(.object(o), account: account, problems: &problems)
        let errors = problems.filter { $0.severity == .error }
        guard let parsed, errors.isEmpty else {
            if let p = errors.first(where: { $0.path.hasPrefix("$.EventPattern") }) { throw .invalidPattern(p.message) }
            throw .validation(errors.map { Self.reason($0) }.joined(separator: "; "))
        }
        return parsed
    }

    /// An archive as ListArchives shows it.
    private func archiveJSON(_ archive: ArchiveStore) -> JSONObject {
        let stats = archive.statistics
        var o = JSONObject()
        o["ArchiveName"] = .string(archive.definition.name)
        o["EventSourceArn"] = .string(archive.definition.sourceArn)
        o["State"] = "ENABLED"
        o["RetentionDays"] = .number(JSONNumber(archive.definition.retentionDays))
        o["SizeBytes"] = .number(JSONNumber(stats.sizeBytes))
        o["EventCount"] = .number(JSONNumber(stats.events))
        o["CreationTime"] = .epoch(router.archives.info(arn: archive.arn)?.created ?? store.started)
        return o
    }
}
