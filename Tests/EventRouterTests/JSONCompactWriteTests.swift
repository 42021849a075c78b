import Testing
@testable import EventRouter

/// PutEvents reads a detail once, checking it and writing its compact text together
/// (``JSONCompactText/compact(_:into:)``, issue 11, performance): the same bytes as the
/// compact text written after a separate check, and the same refusals.
@Suite struct JSONCompactWriteTests {
    @Test(arguments: EventTextTests.details + EventTextTests.compacted.map(\.0) + EventTextTests.declined)
    func oneReadingWritesTheCompactText(text: String) {
        var out: [UInt8] = []
        let count = JSONCompactText.compact(text, into: &out)
        #expect(count == JSONCompactText.compactCount(text))
        if let count {
            #expect(String(decoding: out[..<count], as: UTF8.self) == JSONCompactText.canonicalObject(text))
        }
    }

    /// The buffer is reused from entry to entry: a shorter detail after a longer one leaves
    /// nothing of the longer one in its text.
    @Test func aReusedBufferHoldsOnlyTheLatestText() {
        var out: [UInt8] = []
        let long = #"{ "a long key" : [ 1 , 2 , 3 ] , "b" : "  spaced  " }"#
        #expect(JSONCompactText.compact(long, into: &out) == JSONCompactText.compactCount(long))
        let count = JSONCompactText.compact(#"{ "x" : 1 }"#, into: &out)
        #expect(count == 7)
        #expect(count.map { String(decoding: out[..<$0], as: UTF8.self) } == #"{"x":1}"#)
    }

    /// `Duration.nanoseconds` read straight from the attoseconds gives what the seconds and
    /// attoseconds components give, up to the ends of Int64 (where both saturate).
    @Test func durationNanosecondsAreUnchanged() {
        func viaComponents(_ d: Duration) -> Int64 {
            let (s, a) = d.components
            let (m, o) = s.multipliedReportingOverflow(by: 1_000_000_000)
            if o { return s < 0 ? .min : .max }
            return m &+ a / 1_000_000_000
        }
        var durations: [Duration] = [.zero, .seconds(1), .seconds(-1), .seconds(345_600), .seconds(1_209_600), .milliseconds(1500),
                                     .milliseconds(-1500), .nanoseconds(1), .nanoseconds(-1), .nanoseconds(Int64.max), .nanoseconds(Int64.min),
                                     .seconds(Int64.max), .seconds(Int64.min), .seconds(9_223_372_036), .seconds(-9_223_372_036),
                                     .seconds(9_223_372_037), .seconds(4_611_686_018), .seconds(4_611_686_019)]
        durations += [Duration(secondsComponent: 2, attosecondsComponent: 999_999_999_999_999_999),
                      Duration(secondsComponent: -2, attosecondsComponent: -999_999_999_999_999_999),
                      Duration(secondsComponent: 9_223_372_036, attosecondsComponent: 854_775_807_000_000_000),
                      Duration(secondsComponent: 9_223_372_036, attosecondsComponent: 999_999_999_999_999_999)]
        var g = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            durations.append(.nanoseconds(Int64(bitPattern: g.next()) >> Int64(g.next() % 64)))
            durations.append(Duration(secondsComponent: Int64(bitPattern: g.next()) >> 31, attosecondsComponent: Int64(g.next() % 1_000_000_000_000_000_000)))
        }
        for d in durations { #expect(d.nanoseconds == viaComponents(d), "\(d)") }
    }
}

/// The envelope writer copies the fields of an event without resources as they are and finds
/// on the way a field that needs an escape (issue 11, performance): then the general writer
/// takes over, with the serialiser's bytes.
@Suite struct EventTextEscapeTests {
    @Test(arguments: [("sh\"op", "Placed"), ("shop", "Pla\\ced"), ("sh\u{01}op", "Placed"), ("shop", "Tab\there"), ("é✓", "😀"), ("shop", "Placed")])
    func anEscapedFieldWithoutResourcesIsSerialisedAsTheParserWould(source: String, detailType: String) throws {
        let router = Router(clock: ManualClock(), random: SharedRandom(seed: 1))
        let entry = PutEventsEntry(source: source, detailType: detailType, detail: #"{ "a" : [ 1 , "x y" ] }"#)
        guard case .success(let (event, _)) = router.makeEvent(entry, now: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)) else {
            Issue.record("entry refused")
            return
        }
        #expect(event.jsonText == JSONSerializer.serialize(event.json))
        #expect(event.source == source && event.detailType == detailType)
        #expect(event.detail == (try JSONParser.parse(#"{"a":[1,"x y"]}"#)))
    }
}
