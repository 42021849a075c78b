import Synchronization

/// Runs a ``Scenario`` on a fresh runtime of its workspace on virtual time, with its faults
/// injected, and checks its expectations against the final state (`eventrouter test`).
public enum ScenarioRunner {
    /// Runs `scenario` with `seed` (jitter, event ids, message ids).
    public static func run(_ scenario: Scenario, workspace: Workspace, seed: UInt64,
                           functionRegistry: SwiftFunctionRegistry = SwiftFunctionRegistry(),
                           limits: SettleLimits = SettleLimits(maximumVirtualTime: ScenarioParser.maximumHorizon)) async -> ScenarioOutcome {
        let clock = ManualClock(start: scenario.start)
        let plan = FaultPlan(faults: scenario.faults, clock: clock)
        // Deliveries are traced in the scheduler's order; function and mapping records come from
        // handlers running concurrently, so they are kept apart and ordered by function at the end.
        let lines = Mutex<[String]>([])
        let records = Mutex<[String]>([])
        let tracer = ReplayTracer { line in lines.withLock { $0.append(line) } }
        let recorder = ReplayTracer { line in records.withLock { $0.append(line) } }
        let matches = ScenarioMatches()
        var rejections: [Int: String] = [:]
        var outcome = ScenarioOutcome(name: scenario.name, file: scenario.file, checked: 0, failure: nil, virtualDuration: .zero, faultsFired: [])
        let runtime: RouterRuntime
        do {
            runtime = try RouterRuntime(
                workspace: workspace, clock: .virtual(clock), seed: seed,
                observer: { tracer.delivery($0) },
                matchObserver: { event, bus, rules in
                    matches.record(event.id, rules: rules.map(\.name))
                    tracer.matched(event, busArn: bus, rules: rules)
                    recorder.noteMatched(event)
                },
                functionRegistry: functionRegistry, log: recorder, faults: plan)
        } catch {
            outcome.failure = .init(path: "$", summary: "the workspace cannot be run", expected: "a runtime", actual: error.message, trace: [])
            return outcome
        }
        for (index, event) in scenario.events.enumerated() {
            if event.at > clock.now { _ = await runtime.run(until: event.at, limits: limits) }
            tracer.setLine(index)
            recorder.setLine(index)
            matches.begin(index)
            if let reason = ReplayRunner.put(event.json, itemName: "event", router: runtime.router, workspace: workspace) {
                rejections[index] = reason
            }
            matches.end()
        }
        if outcome.failure == nil {
            if let horizon = scenario.horizon {
                _ = await runtime.run(until: scenario.start + horizon, limits: limits)
            } else {
                let settled = await runtime.settle(limits: limits)
                if let problem = settled.problem {
                    outcome.failure = .init(path: "$", summary: "the run did not settle within the bounds (30 days of virtual time)",
                                            expected: "every delivery settled", actual: problem, trace: Array(lines.withLock { $0 }.suffix(10)))
                }
            }
        }
        let state = await runtime.completeStateJSON()
        let functions = runtime.functions.runtimes.mapValues { $0.metrics.snapshot }
        await runtime.shutdown()
        outcome.virtualDuration = clock.now - scenario.start
        outcome.faultsFired = plan.firedCounts
        if outcome.failure != nil { return outcome }
        let functionLines = records.withLock { $0 }.enumerated().sorted { a, b in
            let (x, y) = (ScenarioRunner.functionName(a.element), ScenarioRunner.functionName(b.element))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let checker = ScenarioChecker(scenario: scenario, workspace: workspace, state: state, functions: functions,
                                      matched: matches.byIndex, rejections: rejections, trace: lines.withLock { $0 } + functionLines)
        // An event refused at put fails the scenario unless an expectation says it is refused.
        let expectedRejections = Set(scenario.expectations.compactMap { e -> Int? in
            if case .event(let i) = e.subject, e.rejected != nil { return i } else { return nil }
        })
        if let (index, reason) = rejections.sorted(by: { $0.key < $1.key }).first(where: { !expectedRejections.contains($0.key) }) {
            outcome.failure = .init(path: scenario.events[index].origin, summary: "the event was rejected", expected: "accepted (or an expectation {\"Event\": \(index), \"Rejected\": true})",
                                    actual: reason, trace: [])
            return outcome
        }
        for expectation in scenario.expectations {
            outcome.checked += 1
            if let failure = checker.check(expectation) {
                outcome.failure = failure
                break
            }
        }
        return outcome
    }
}

extension ScenarioRunner {
    /// `NAME` of `function NAME` in a trace line (its order key).
    static func functionName(_ line: String) -> String {
        guard let r = line.range(of: "function ") else { return "" }
        return String(line[r.upperBound...].prefix { $0 != " " })
    }
}

/// The rules each of a scenario's events matched (by event index), including on the buses it was forwarded to.
final class ScenarioMatches: Sendable {
    private struct State {
        var current: Int?
        var indexById: [String: Int] = [:]
        var byIndex: [Int: [String]] = [:]
    }
    private let state = Mutex(State())

    func begin(_ index: Int) { state.withLock { $0.current = index } }
    func end() { state.withLock { $0.current = nil } }

    func record(_ id: String, rules: [String]) {
        state.withLock { s in
            guard let index = s.indexById[id] ?? s.current else { return }
            s.indexById[id] = index
            s.byIndex[index, default: []] += rules
        }
    }

    var byIndex: [Int: [String]] { state.withLock { $0.byIndex } }
}
