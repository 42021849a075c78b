extension DeliveryScheduler {
    /// Runs until every scheduled delivery has settled (succeeded, dead-lettered or dropped),
    /// driven by a ``TimeDriver`` over this scheduler alone.
    public func settle() async { _ = await driver().settle() }

    /// Runs until the task is cancelled, waiting for new work on ``wake``.
    public func run() async { try? await driver().run() }

    /// Runs every attempt due up to `deadline` and returns when the clock has reached it (a
    /// virtual clock is moved there; a real one is slept on). Paced replays put the next event then.
    public func run(until deadline: Timestamp) async { await driver().run(until: deadline) }

    /// A driver of this scheduler alone, on its clock.
    private func driver() -> TimeDriver {
        TimeDriver(clock: driveClock, wake: wake, components: [self])
    }
}
