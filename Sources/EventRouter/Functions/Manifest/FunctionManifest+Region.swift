import Foundation

extension FunctionManifest {
    /// The manifest in its workspace: a function without `Region` takes the region that the
    /// rule files of its account use (their `Region` key; a file without one is in
    /// `defaultRegion`) when they all use one, as every resource in a rule file takes its
    /// file's region; otherwise (several regions, or no rule file for the account) `defaultRegion`.
    /// - Parameter ruleFileRegions: the regions of the rule files, by account.
    public func placed(inRuleFileRegions ruleFileRegions: [String: Set<String>], defaultRegion: String) -> FunctionManifest {
        guard !declaresRegion else { return self }
        var copy = self
        let regions = ruleFileRegions[account] ?? []
        copy.region = regions.count == 1 ? regions.first! : defaultRegion
        return copy
    }

    /// The regions that the rule files in `workspace/Rules/` name at their top level (`Account`,
    /// `Region`), by account: what ``placed(inRuleFileRegions:defaultRegion:)`` needs when the
    /// workspace is not validated (`eventrouter invoke`, `eventrouter functions`). Files that
    /// cannot be read or parsed are skipped here; `validate` reports them.
    public static func ruleFileRegions(workspace: String, defaults: RouterDefaults = RouterDefaults()) -> [String: Set<String>] {
        var regions: [String: Set<String>] = [:]
        for file in WorkspaceRuleFiles(directory: workspace).files {
            guard let root = (try? JSONParser.parse(file.text))?.objectValue else { continue }
            let account = root["Account"]?.stringValue.flatMap { ARN.isAccountID($0) ? $0 : nil } ?? defaults.account
            let region = root["Region"]?.stringValue ?? defaults.region
            regions[account, default: []].insert(region)
        }
        return regions
    }

    /// Why `arn` names no function of `functions` when one has its name: it lives in another
    /// region or account. Nil when no function has that name.
    public static func placementHint(for arn: ARN, among functions: [FunctionManifest]) -> String? {
        guard let same = functions.first(where: { $0.name == arn.name }) else { return nil }
        if same.account != arn.account {
            return "Functions/\(same.name) belongs to account \(same.account) (\(same.arn)), not \(arn.account); set \"Account\" in Functions/\(same.name)/function.json or target \(same.arn)"
        }
        let origin = same.declaresRegion ? "its manifest's Region" : "the region of its account's rule files"
        return "Functions/\(same.name) is in \(same.region) (\(origin)), not \(arn.region); set \"Region\": \"\(arn.region)\" in Functions/\(same.name)/function.json or target \(same.arn)"
    }
}
