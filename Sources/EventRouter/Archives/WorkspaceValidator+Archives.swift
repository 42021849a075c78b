/// Issue 7's part of workspace validation: `Archives`.
extension WorkspaceValidator {
    /// Reads every `Archives` entry: its fields, a declared source bus, no name used twice in an account.
    mutating func readArchiveDefinitions() {
        var names: [String: String] = [:]  // archive ARN -> where first declared
        for entry in sections["Archives"] ?? [] {
            var found: [ValidationProblem] = []
            let parsed = ArchiveDefinition.parse(.object(entry.object), account: entry.account, problems: &found)
            for p in found { report(p.rebased(onto: entry.path), file: entry.file) }
            guard let archive = parsed else { continue }
            if busIndex[archive.sourceArn] == nil {
                var message = "EventSourceArn \(archive.sourceArn) names the bus '\(archive.source.name)', which no rule file declares in account \(archive.source.account)"
                let candidates = buses.filter { $0.account == archive.source.account }.map(\.name)
                if let hint = DidYouMean.suggestion(for: archive.source.name, among: candidates) { message += " (did you mean '\(hint)'?)" }
                error(entry.file, "\(entry.path).EventSourceArn", message + "; declare it under EventBuses")
                continue
            }
            if let first = names[archive.arn] {
                error(entry.file, "\(entry.path).ArchiveName", "duplicate archive '\(archive.name)' in account \(archive.source.account) (first declared at \(first))")
                continue
            }
            names[archive.arn] = "\(entry.file): \(entry.path)"
            archiveDefinitions.append(archive)
        }
    }
}
