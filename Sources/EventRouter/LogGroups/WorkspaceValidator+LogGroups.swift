/// The `LogGroups` section of rule files, and rule targets that are log groups.
extension WorkspaceValidator {
    static let logGroupKeys = ["LogGroupName", "RetentionInDays", "LogGroupClass", "KmsKeyId", "Tags", "DataProtectionPolicy"]
    /// The values CloudWatch Logs accepts for `RetentionInDays`.
    static var retentionDays: [Int] { LogGroupInfo.retentionValues }

    mutating func readLogGroups() {
        for entry in sections["LogGroups"] ?? [] {
            fields.file = entry.file
            let before = problems.count
            fields.checkKeys(entry.object, allowed: Self.logGroupKeys, what: "a log group", at: entry.path)
            guard let name = fields.string(entry.object, "LogGroupName", at: entry.path, required: true) else { continue }
            if let problem = LogGroupName.groupNameProblem(name) ?? LogGroupFiles.fileNameProblem(name, what: "log group name") {
                error(entry.file, "\(entry.path).LogGroupName", problem)
            }
            var retention: Int?
            if let value = entry.object["RetentionInDays"] {
                if let days = value.intValue, Self.retentionDays.contains(days) {
                    retention = days
                } else {
                    error(entry.file, "\(entry.path).RetentionInDays", "RetentionInDays must be one of \(Self.retentionDays.map(String.init).joined(separator: ", ")), not \(value.jsonText)")
                }
            }
            _ = fields.enumeration(entry.object, "LogGroupClass", at: entry.path, allowed: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"])
            guard problems.count == before else { continue }
            if let first = logGroups.first(where: { $0.name == name }) {
                error(entry.file, "\(entry.path).LogGroupName",
                      "duplicate log group '\(name)' (first declared in \(first.file)); log group names are one namespace in EventRouter, across accounts and regions")
                continue
            }
            accounts.insert(entry.account)
            logGroups.append(LogGroupDeclaration(name: name, retentionInDays: retention, account: entry.account, region: entry.region, file: entry.file))
        }
    }

    /// A target ARN of the `logs` service: it must name a declared log group, as AWS delivers
    /// only to a log group that exists (EventBridge does not create it).
    mutating func checkLogGroupTarget(_ arn: ARN, file: String, path: String) {
        guard let name = LogGroupName.group(ofArn: arn) else {
            error(file, path, "\(arn) is not a log group ARN; a CloudWatch Logs target is arn:aws:logs:REGION:ACCOUNT:log-group:NAME")
            return
        }
        if logGroups.contains(where: { $0.name == name }) { return }
        if accounts.contains(arn.account) {
            var message = "\(arn) names the log group '\(name)', which no rule file declares; declare it under LogGroups "
                + "(AWS delivers only to a log group that exists, so EventRouter does not create it on delivery)"
            if let hint = DidYouMean.suggestion(for: name, among: logGroups.map(\.name)) { message += " (did you mean '\(hint)'?)" }
            error(file, path, message)
        } else {
            warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it fail with NO_RESOURCE")
        }
    }
}
