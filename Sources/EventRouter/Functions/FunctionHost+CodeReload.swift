extension FunctionHost {
    /// The code in `Functions/NAME/` of the function `arn` changed (hot reload): the next
    /// invocation runs the new code. Returns `nil` for a function this host does not run.
    public func codeChanged(arn: String) async -> FunctionCodeReload? {
        guard let runtime = runtimes[arn] else { return nil }
        if runtime.manifest.runtime == .swift { return .compiledIn }
        return await runtime.handler.codeDidChange()
    }
}
