import EventRouterFuzzing

/// The command line of `eventrouter-fuzz`.
struct FuzzOptions {
    struct Problem: Error {
        let message: String
    }

    var targets: [any FuzzTarget] = []
    var budget: FuzzDriver.Budget = .iterations(0)
    var seed: UInt64 = 1
    var corpus: String?
    var list = false

    init(arguments: [String]) throws(Problem) {
        var budget: FuzzDriver.Budget?
        var seen = Set<String>()
        var i = 0
        func value(_ option: String) throws(Problem) -> String {
            guard seen.insert(option).inserted else { throw Problem(message: "\(option) is given twice; give it once") }
            i += 1
            guard i < arguments.count else { throw Problem(message: "\(option) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--list": list = true
            case "--iterations":
                let text = try value(a)
                guard let n = Int(text), n > 0 else { throw Problem(message: "--iterations must be a whole number above 0, not '\(text)'") }
                budget = .iterations(n)
            case "--seconds":
                let text = try value(a)
                guard let s = Double(text), s > 0, s <= 86_400 else { throw Problem(message: "--seconds must be a number of seconds above 0 and at most 86400, not '\(text)'") }
                budget = .seconds(s)
            case "--seed":
                let text = try value(a)
                guard let s = UInt64(text) else { throw Problem(message: "--seed must be a whole number from 0 to \(UInt64.max), not '\(text)'") }
                seed = s
            case "--corpus": corpus = try value(a)
            default:
                if a.hasPrefix("-") { throw Problem(message: "unknown option '\(a)'") }
                guard targets.isEmpty else { throw Problem(message: "give one target (or all), not '\(a)' as well") }
                if a == "all" {
                    targets = FuzzTargets.all
                } else if let t = FuzzTargets.named(a) {
                    targets = [t]
                } else {
                    throw Problem(message: "unknown target '\(a)'")
                }
            }
            i += 1
        }
        if list { return }
        guard !targets.isEmpty else { throw Problem(message: "give a target or all") }
        guard let budget else { throw Problem(message: "give --iterations N or --seconds T") }
        if seen.contains("--iterations") && seen.contains("--seconds") { throw Problem(message: "give --iterations or --seconds, not both") }
        self.budget = budget
    }
}
