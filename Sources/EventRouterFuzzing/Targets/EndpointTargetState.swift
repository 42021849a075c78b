import Synchronization

/// The engine of an ``EndpointTarget`` and the number of inputs it has served, rebuilt every
/// ``EndpointTarget/rebuildEvery`` inputs.
final class EndpointTargetState: Sendable {
    private let state = Mutex<(world: EndpointWorld?, count: Int)>((nil, 0))

    /// The engine for the next input and that input's number (from 1).
    func next() throws(FuzzFailure) -> (EndpointWorld, Int) {
        try state.withLock { (s: inout (world: EndpointWorld?, count: Int)) throws(FuzzFailure) -> (EndpointWorld, Int) in
            s.count += 1
            if s.world == nil || s.count % EndpointTarget.rebuildEvery == 0 { s.world = try EndpointWorld() }
            guard let world = s.world else { throw FuzzFailure("no engine") }
            return (world, s.count)
        }
    }
}
