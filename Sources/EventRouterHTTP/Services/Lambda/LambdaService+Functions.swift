import EventRouter

extension LambdaService {
    /// `ListFunctions`: the caller's account and region, by name, paged with `Marker` / `MaxItems` (1–10000, default 50).
    func listFunctions(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let caller = request.call.caller
        let all = functions.sortedRuntimes.filter { $0.manifest.account == caller.account && $0.manifest.region == caller.region }
        let page = try Self.page(all.map(\.manifest.name), request: request)
        let listed = all[page.range].map { LambdaConfiguration.json($0, lastModified: loadedAt) }
        var o: JSONObject = ["Functions": .array(listed)]
        if let next = page.nextMarker { o["NextMarker"] = .string(next) }
        return Self.reply(.object(o))
    }

    /// `GetFunction`: `Configuration`, `Code` (where the folder is) and `Concurrency` when reserved.
    func getFunction(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        let runtime = try function(request)
        var o: JSONObject = ["Configuration": LambdaConfiguration.json(runtime, lastModified: loadedAt)]
        let folder = runtime.manifest.folder.isEmpty ? "Functions/\(runtime.manifest.name)" : runtime.manifest.folder
        o["Code"] = ["RepositoryType": "EventRouter", "Location": .string(folder)]
        if let reserved = runtime.settings.reservedConcurrency {
            o["Concurrency"] = ["ReservedConcurrentExecutions": .number(JSONNumber(reserved))]
        }
        return Self.reply(.object(o))
    }

    /// `GetFunctionConfiguration`.
    func getFunctionConfiguration(_ request: LambdaRequest) throws(AWSError) -> AWSReply {
        Self.reply(LambdaConfiguration.json(try function(request), lastModified: loadedAt))
    }

    /// `GetAccountSettings`: the caller's account concurrency in its region and its function count.
    func getAccountSettings(_ request: LambdaRequest) -> AWSReply {
        let caller = request.call.caller
        let pool = functions.pool(account: caller.account, region: caller.region)
        let limit = pool?.limit ?? functions.concurrencyLimits[caller.account] ?? AccountConcurrency.defaultLimit
        let unreserved = pool?.unreserved ?? limit
        let count = functions.runtimes.values.filter { $0.manifest.account == caller.account && $0.manifest.region == caller.region }.count
        return Self.reply([
            "AccountLimit": [
                "TotalCodeSize": 80_530_636_800, "CodeSizeUnzipped": 262_144_000, "CodeSizeZipped": 52_428_800,
                "ConcurrentExecutions": .number(JSONNumber(limit)), "UnreservedConcurrentExecutions": .number(JSONNumber(unreserved)),
            ],
            "AccountUsage": ["TotalCodeSize": 0, "FunctionCount": .number(JSONNumber(count))],
        ])
    }

    /// A page of `keys` (sorted, unique) from `?Marker=` (the first key of the page) with `?MaxItems=`.
    /// - Throws: ``AWSError`` `InvalidParameterValueException` for a bad `MaxItems` or an unknown `Marker`.
    static func page(_ keys: [String], request: LambdaRequest, defaultSize: Int = 50) throws(AWSError) -> (range: Range<Int>, nextMarker: String?) {
        var size = defaultSize
        if let text = request.query("MaxItems") {
            guard let n = Int(text), (1...10_000).contains(n) else {
                throw LambdaErrors.invalid("MaxItems", "'\(text)' must be a whole number from 1 to 10000")
            }
            size = n
        }
        var start = 0
        if let marker = request.query("Marker"), !marker.isEmpty {
            guard let i = keys.firstIndex(of: marker) else {
                throw LambdaErrors.invalid("Marker", "'\(marker)' is not a marker this listing returned (pass the NextMarker of the previous page)")
            }
            start = i
        }
        let end = min(keys.count, start + size)
        return (start..<end, end < keys.count ? keys[end] : nil)
    }
}
