/// The `Streams` section of rule files.
extension WorkspaceValidator {
    static let streamKeys = ["Name", "ShardCount", "RetentionPeriodHours", "Tags", "StreamEncryption", "StreamModeDetails", "DesiredShardLevelMetrics"]

    mutating func readStreams() {
        for entry in sections["Streams"] ?? [] {
            fields.file = entry.file
            let before = problems.count
            fields.checkKeys(entry.object, allowed: Self.streamKeys, what: "a stream", at: entry.path)
            guard problems.count == before else { continue }
            let configuration: StreamConfiguration
            do {
                configuration = try StreamConfiguration(json: entry.object, account: entry.account, region: entry.region)
            } catch {
                self.error(entry.file, entry.path, error.message)
                continue
            }
            let stream = StreamDeclaration(configuration: configuration, json: entry.object, file: entry.file)
            if let first = streams.first(where: { $0.arn == stream.arn }) {
                error(entry.file, "\(entry.path).Name", "duplicate stream '\(stream.name)' in account \(stream.account) (first declared in \(first.file))")
                continue
            }
            accounts.insert(stream.account)
            declaredARNs[stream.arn] = "Streams"
            streams.append(stream)
        }
    }
}
