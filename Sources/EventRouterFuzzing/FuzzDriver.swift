import EventRouter

/// Runs one target: first its seeds (and any corpus given), then mutations of the inputs it
/// accepted, and structured inputs where the target makes them. Deterministic for a seed
/// (the number of executions in a timed run depends on the machine, not the sequence).
public struct FuzzDriver: Sendable {
    /// When to stop.
    public enum Budget: Sendable {
        /// This many executions.
        case iterations(Int)
        /// About this many seconds of wall time.
        case seconds(Double)
    }

    /// What a run did.
    public struct Report: Sendable {
        /// The target's name.
        public var target: String
        /// Inputs run (seeds included).
        public var executions = 0
        /// Inputs the target accepted as valid.
        public var accepted = 0
        /// Wall time of the run.
        public var seconds = 0.0
        /// The longest single execution, in seconds.
        public var slowest = 0.0
        /// The first violated property and the input that showed it.
        public var failure: (message: String, input: [UInt8])?
        /// Executions per second of wall time.
        public var executionsPerSecond: Double { seconds > 0 ? Double(executions) / seconds : 0 }
    }

    /// The most inputs kept as bases for mutation.
    public static let corpusLimit = 512

    /// What runs.
    public let target: any FuzzTarget
    /// Fixes the sequence of inputs.
    public let seed: UInt64
    /// Extra starting inputs (e.g. the files of `--corpus DIR`).
    public var corpus: [[UInt8]]
    /// Called with each input before it runs (the crash recorder keeps a copy).
    public var willRun: (@Sendable ([UInt8]) -> Void)?

    /// A driver of `target` whose inputs are fixed by `seed`.
    public init(target: any FuzzTarget, seed: UInt64, corpus: [[UInt8]] = [], willRun: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.target = target
        self.seed = seed
        self.corpus = corpus
        self.willRun = willRun
    }

    /// Runs until the budget is spent or a property fails.
    public func run(_ budget: Budget) async -> Report {
        var report = Report(target: target.name)
        let clock = ContinuousClock()
        let start = clock.now
        let limit = target.maximumInputSize
        var pool = (target.seeds + corpus).map { $0.count > limit ? Array($0.prefix(limit)) : $0 }
        if pool.isEmpty { pool = [[]] }
        var queue = pool  // run every seed once, as is
        var mutator = FuzzMutator(seed: seed, dictionary: target.dictionary)
        var generator = SeededGenerator(seed: seed ^ 0x5EED_F022)
        var iteration = 0
        while true {
            if case .iterations(let n) = budget, iteration >= n { break }
            if case .seconds(let s) = budget, iteration & 63 == 0, (clock.now - start).seconds >= s { break }
            iteration += 1
            var input: [UInt8]
            if let next = queue.popLast() {
                input = next
            } else if mutator.random.next() % 3 == 0, let made = target.generate(&generator) {
                input = made.count > limit ? Array(made.prefix(limit)) : made
            } else {
                input = pool[mutator.below(pool.count)]
                mutator.mutate(&input, other: pool[mutator.below(pool.count)], limit: limit)
            }
            willRun?(input)
            let before = clock.now
            let outcome: FuzzOutcome
            do {
                outcome = try await target.run(input)
            } catch {
                report.executions += 1
                report.failure = (error.message, input)
                break
            }
            let took = (clock.now - before).seconds
            if took > report.slowest { report.slowest = took }
            report.executions += 1
            if case .accepted = outcome {
                report.accepted += 1
                if pool.count < FuzzDriver.corpusLimit {
                    pool.append(input)
                } else if mutator.random.next() % 16 == 0 {
                    pool[mutator.below(pool.count)] = input
                }
            }
        }
        report.seconds = (clock.now - start).seconds
        return report
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
