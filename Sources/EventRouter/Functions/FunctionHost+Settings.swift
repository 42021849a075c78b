/// Changing hosted functions while they run: reserved concurrency and asynchronous retry
/// timing (what Lambda's `PutFunctionConcurrency` and `eventrouter run --async-retry-delays` change).
extension FunctionHost {
    /// The runtime of a function given by ARN (with or without `:$LATEST`) or name.
    public func runtime(for nameOrArn: String) -> FunctionRuntime? {
        Self.lookup(nameOrArn, in: runtimes)
    }

    /// The runtimes sorted by ARN.
    public var sortedRuntimes: [FunctionRuntime] { runtimes.values.sorted { $0.arn < $1.arn } }

    /// The pool of `account` in `region`, if a function lives there.
    public func pool(account: String, region: String) -> AccountConcurrency? {
        accountConcurrency[AccountConcurrency.key(account: account, region: region)]
    }

    /// Sets (or, with `nil`, removes) a function's reserved concurrency, moving it in and out of
    /// its account's unreserved pool.
    /// - Throws: ``EventRouterError`` (`InvalidParameterValueException`, 400) when the pool
    ///   would keep less than ``AccountConcurrency/minimumUnreserved``.
    public func setReservedConcurrency(_ reserved: Int?, of runtime: FunctionRuntime) throws(EventRouterError) {
        let manifest = runtime.manifest
        let old = runtime.settings.reservedConcurrency
        if let pool = runtime.accountConcurrency,
           let problem = pool.changeReservation(from: old, to: reserved, account: "account \(manifest.account) in \(manifest.region)") {
            throw EventRouterError(.validation, "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [\(AccountConcurrency.minimumUnreserved)]: \(problem)")
        }
        runtime.settings.update { $0.reservedConcurrency = reserved }
    }

    /// Sets the delays before the retries of failed asynchronous invocations of every hosted
    /// function (Lambda: 1 min, then 2 min) and the first throttle backoff (Lambda: 1 s).
    /// `eventrouter run --async-retry-delays` shortens them so a failing event reaches its
    /// failure destination in seconds.
    public func setAsyncRetryDelays(_ delays: [Duration], throttleInitialDelay: Duration? = nil) {
        for runtime in runtimes.values {
            runtime.settings.update { v in
                v.retryDelays = delays
                if let throttleInitialDelay { v.throttleInitialDelay = throttleInitialDelay }
            }
        }
    }
}
