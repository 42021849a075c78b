extension ReplayRunner {
    /// What ``run(input:thenReplay:workspace:options:)`` did.
    public struct ArchiveReplayOutcome: Sendable {
        /// The summary of routing the file (which filled the workspace's archives).
        public var summary: ReplaySummary
        /// The archive replay's report.
        public var report: ArchiveReplayRunner.Report
        /// The runtime, shut down, for its final state.
        public var runtime: RouterRuntime
    }

    /// Reads an events file for a replay.
    /// - Throws: ``EventRouterError`` (`IOError`) saying why the file cannot be read.
    public static func readEventsFile(_ path: String) throws(EventRouterError) -> [UInt8] {
        let read: [UInt8]?
        do { read = try TextFile.readBytes(path) } catch { throw EventRouterError(.io, "cannot read the events file: \(error)", underlying: error) }
        guard let bytes = read else { throw EventRouterError(.io, "cannot read the events file '\(path)': it does not exist") }
        return bytes
    }

    /// Routes `input` through the workspace (filling its archives), then runs the archive
    /// replay `request` on the same runtime, as `eventrouter replay FILE --archive NAME` does:
    /// the file's events carry no `replay-name` (the request names the replay); on virtual time
    /// the clock first runs to the end of the window (StartReplay refuses a window that ends in
    /// the future); the replay's deliveries settle with functions, topics and mappings; then
    /// the runtime shuts down.
    /// - Parameter routed: told the file's summary before the archive replay starts (so it is
    ///   shown even when the replay is then refused).
    /// - Throws: ``EventRouterError`` when the input cannot be replayed or the request is
    ///   refused (as StartReplay refuses it).
    public static func run(input: ReplayInput, thenReplay request: ArchiveReplayRequest, workspace: Workspace, options: Options,
                           routed: (ReplaySummary) -> Void = { _ in }) async throws(EventRouterError) -> ArchiveReplayOutcome {
        var options = options
        options.shutdownWhenSettled = false
        options.replayName = nil
        let (summary, runtime) = try await run(input: input, workspace: workspace, options: options)
        routed(summary)
        if options.virtualTime, runtime.router.clock.now < request.eventEndTime { await runtime.run(until: request.eventEndTime) }
        let report: ArchiveReplayRunner.Report
        do {
            report = try await ArchiveReplayRunner.run(request, runtime: runtime)
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
        return ArchiveReplayOutcome(summary: summary, report: report, runtime: runtime)
    }
}
