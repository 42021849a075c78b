import Synchronization

/// A fast, seedable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Jitter, message ids and receipt handles draw from it so that a run with the same seed
/// (`replay --seed N`, tests) makes the same choices.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A random version-4 UUID in its lowercase text form.
    public mutating func uuid() -> String {
        let a = next()
        let b = next()
        return Hex.uuid(a, b)
    }
}

/// A ``SeededGenerator`` shared between tasks behind a lock.
public final class SharedRandom: Sendable {
    private let generator: Mutex<SeededGenerator>

    /// A shared generator fixed by `seed`.
    public init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }

    /// A uniformly random `Double` in `0..<1`.
    public func nextUnit() -> Double {
        generator.withLock { Double($0.next() >> 11) * 0x1.0p-53 }
    }

    /// A random 64-bit value.
    public func next() -> UInt64 { generator.withLock { $0.next() } }

    /// A random version-4 UUID string.
    public func uuid() -> String { generator.withLock { $0.uuid() } }
}
