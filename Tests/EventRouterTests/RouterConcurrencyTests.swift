import Dispatch
import Synchronization
import Testing
@testable import EventRouter

/// Item 7 of issue 11: PutEvents calls match in parallel, with no lock held across matching.
@Suite struct RouterConcurrencyTests {
    /// The first put is held mid-match (after taking its bus's compiled rules, before matching)
    /// until the second put has been matched; the hold gives up after 10 s. Were matching
    /// serialised by one lock, the second put could not be matched while the first holds it:
    /// the wait would time out and the test fail instead of hanging.
    @Test(arguments: [("orders", "billing"), ("orders", "orders")])
    func parallelPutEventsProceedConcurrently(firstBus: String, secondBus: String) throws {
        let account = "123456789012", region = "us-east-1"
        let pattern = try EventPattern(parsing: #"{"source": ["shop"]}"#)
        let workspace = Workspace(
            buses: [BusDefinition(name: "orders", account: account, region: region),
                    BusDefinition(name: "billing", account: account, region: region)],
            rules: ["orders", "billing"].map {
                RuleDefinition(name: "all", busName: $0, account: account, region: region, pattern: pattern, targets: [])
            })
        let firstHeld = DispatchSemaphore(value: 0)
        let secondMatched = DispatchSemaphore(value: 0)
        let puts = Mutex(0)
        let firstSawSecond = Mutex<Bool?>(nil)
        var configuration = Router.Configuration()
        configuration.matchingHook = { _ in
            let n = puts.withLock { n -> Int in
                n += 1
                return n
            }
            guard n == 1 else { return }
            firstHeld.signal()
            let result = secondMatched.wait(timeout: .now() + 10)
            firstSawSecond.withLock { $0 = result == .success }
        }
        let router = Router(workspace: workspace, clock: ManualClock(), random: SharedRandom(seed: 1), configuration: configuration,
                            matchObserver: { event, _, rules in
                                if event.detailType == "second" && rules.count == 1 { secondMatched.signal() }
                            })
        let done = DispatchGroup()
        let results = Mutex<[String: String]>([:])
        func put(_ detailType: String, on bus: String) {
            done.enter()
            DispatchQueue.global().async {
                let outcome = (try? router.putEvents([PutEventsEntry(source: "shop", detailType: detailType, detail: "{}", eventBusName: bus)]))?
                    .entries.first.map { $0.errorCode ?? "ok" } ?? "threw"
                results.withLock { $0[detailType] = outcome }
                done.leave()
            }
        }
        put("first", on: firstBus)
        #expect(firstHeld.wait(timeout: .now() + 10) == .success, "the first put never reached matching")
        put("second", on: secondBus)
        #expect(done.wait(timeout: .now() + 30) == .success, "the puts did not finish")
        #expect(firstSawSecond.withLock { $0 } == true, "the second put was not matched while the first was held mid-match")
        #expect(results.withLock { $0 } == ["first": "ok", "second": "ok"])
        #expect(router.statistics.accepted == 2)
        #expect(router.statistics.matchedEvents == 2)
    }

    /// Many threads putting on two buses while rules change: every event is counted, and each
    /// matches the rules in force (a rule that always exists plus one added mid-way).
    @Test func concurrentPutsAndRuleChangesCountEveryEvent() throws {
        let account = "123456789012", region = "us-east-1"
        let pattern = try EventPattern(parsing: #"{"source": ["shop"]}"#)
        let workspace = Workspace(
            buses: [BusDefinition(name: "orders", account: account, region: region)],
            rules: [RuleDefinition(name: "all", busName: "orders", account: account, region: region, pattern: pattern, targets: [])])
        let router = Router(workspace: workspace, clock: ManualClock(), random: SharedRandom(seed: 1))
        router.createBus("billing")
        let done = DispatchGroup()
        for t in 0..<4 {
            done.enter()
            DispatchQueue.global().async {
                for _ in 0..<250 {
                    _ = try? router.putEvents(Array(repeating: PutEventsEntry(source: "shop", detailType: "T", detail: #"{"n": 1}"#,
                                                                              eventBusName: t % 2 == 0 ? "orders" : "billing"), count: 2))
                }
                done.leave()
            }
        }
        try router.putRule(RuleDefinition(name: "late", busName: "billing", account: account, region: region, pattern: pattern, targets: []))
        #expect(done.wait(timeout: .now() + 60) == .success)
        let s = router.statistics
        #expect(s.accepted == 2_000)
        #expect(s.rejected == 0)
        #expect(s.matchedEvents >= 1_000 && s.matchedEvents <= 2_000)
    }
}
