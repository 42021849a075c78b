extension PatternParser {
    /// Parses the operand of `numeric` into a range in normal form.
    func numericRange(_ value: JSONValue, at location: String) throws(PatternError) -> NumericRange {
        guard case .array(let terms) = value else {
            throw PatternError(
                path: location, reason: "\"numeric\" takes an array such as [\">\", 0, \"<=\", 5], not \(Self.article(value.kindName))")
        }
        func op(_ i: Int) throws(PatternError) -> String {
            guard i < terms.count, case .string(let s) = terms[i] else {
                let found = i < terms.count ? terms[i].jsonText : "nothing"
                throw PatternError(
                    path: "\(location)[\(i)]", reason: "expected a comparison operator (=, <, <=, >, >=), found \(found)")
            }
            return s
        }
        func number(_ i: Int, after name: String) throws(PatternError) -> Double {
            guard i < terms.count, case .number(let n) = terms[i] else {
                let found = i < terms.count ? terms[i].jsonText : "nothing"
                throw PatternError(path: "\(location)[\(i)]", reason: "\"\(name)\" must be followed by a number, found \(found)")
            }
            return try limitedNumber(n, at: "\(location)[\(i)]")
        }
        func end(_ i: Int) throws(PatternError) {
            guard i >= terms.count else {
                throw PatternError(
                    path: "\(location)[\(i)]",
                    reason: "too many elements in the numeric expression; a range is [\">\", a, \"<\", b] with the lower bound first")
            }
        }
        let first = try op(0)
        switch first {
        case "=":
            let x = try number(1, after: first)
            try end(2)
            return NumericRange(lower: x, lowerInclusive: true, upper: x, upperInclusive: true)
        case ">", ">=":
            let lower = try number(1, after: first)
            if terms.count == 2 {
                return NumericRange(lower: lower, lowerInclusive: first == ">=", upper: nil, upperInclusive: false)
            }
            let second = try op(2)
            guard second == "<" || second == "<=" else {
                throw PatternError(
                    path: "\(location)[2]", reason: "a lower bound may only be followed by \"<\" or \"<=\", not \"\(second)\"")
            }
            let upper = try number(3, after: second)
            try end(4)
            guard lower < upper else {
                throw PatternError(
                    path: location, reason: "the lower bound \(terms[1].jsonText) must be less than the upper bound \(terms[3].jsonText)")
            }
            return NumericRange(lower: lower, lowerInclusive: first == ">=", upper: upper, upperInclusive: second == "<=")
        case "<", "<=":
            let upper = try number(1, after: first)
            try end(2)
            return NumericRange(lower: nil, lowerInclusive: false, upper: upper, upperInclusive: first == "<=")
        default:
            throw PatternError(path: "\(location)[0]", reason: "unknown numeric operator \"\(first)\"; use =, <, <=, > or >=")
        }
    }

    /// A number within EventBridge's numeric limits (±5e9, at most six decimal places).
    func limitedNumber(_ n: JSONNumber, at location: String) throws(PatternError) -> Double {
        let x = n.double
        guard x.isFinite, abs(x) <= NumericRange.limit else {
            throw PatternError(path: location, reason: "\(n.text) is out of range; numbers here must be between -5e9 and 5e9")
        }
        if x == 0, n.text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) {
            throw PatternError(path: location, reason: "\(n.text) cannot be compared: it is too small to tell apart from 0; use 0 or a larger number")
        }
        return x
    }

    /// Parses the operand of `anything-but`.
    func anythingBut(_ value: JSONValue, at location: String) throws(PatternError) -> AnythingBut {
        switch value {
        case .string(let s):
            return .values(strings: [s], numbers: [])
        case .number(let n):
            return .values(strings: [], numbers: [try limitedNumber(n, at: location)])
        case .array(let list):
            guard !list.isEmpty else {
                throw PatternError(path: location, reason: "an empty array is not allowed; list at least one value")
            }
            var strings: [String] = [], numbers: [Double] = []
            for (i, element) in list.enumerated() {
                switch element {
                case .string(let s): if !strings.contains(where: { UTF8Compare.equal($0, s) }) { strings.append(s) }
                case .number(let n):
                    let x = try limitedNumber(n, at: "\(location)[\(i)]")
                    if !numbers.contains(x) { numbers.append(x) }
                default:
                    throw PatternError(
                        path: "\(location)[\(i)]",
                        reason: "an anything-but list holds only strings or only numbers, not \(Self.article(element.kindName))")
                }
                if !strings.isEmpty, !numbers.isEmpty {
                    throw PatternError(
                        path: "\(location)[\(i)]",
                        reason: "an anything-but list holds only strings or only numbers, not a mix of both")
                }
            }
            return .values(strings: strings, numbers: numbers)
        case .object(let object):
            let (name, operand) = try singleMember(object, at: location, what: "\"anything-but\"")
            let here = Self.join(location, name)
            var texts: [String] = []
            func add(_ element: JSONValue, at path: String) throws(PatternError) {
                var text = try string(element, at: path, operator: name)
                switch name {
                case "prefix", "suffix":
                    guard !text.isEmpty else {
                        throw PatternError(path: path, reason: "an empty \(name) is not allowed under anything-but")
                    }
                case "wildcard":
                    text = try wildcard(element, at: path)
                case "equals-ignore-case":
                    text = CaseFolding.fold(text)
                default:
                    break
                }
                if !texts.contains(where: { UTF8Compare.equal($0, text) }) { texts.append(text) }
            }
            guard ["prefix", "suffix", "wildcard", "equals-ignore-case"].contains(name) else {
                throw PatternError(
                    path: here,
                    reason: "anything-but accepts prefix, suffix, wildcard or equals-ignore-case inside an object, not \"\(name)\"")
            }
            if case .array(let list) = operand {
                guard !list.isEmpty else {
                    throw PatternError(path: here, reason: "an empty array is not allowed; list at least one value")
                }
                for (i, element) in list.enumerated() {
                    guard case .string = element else {
                        throw PatternError(
                            path: "\(here)[\(i)]",
                            reason: "\"\(name)\" under anything-but takes strings, not \(Self.article(element.kindName))")
                    }
                    try add(element, at: "\(here)[\(i)]")
                }
            } else {
                try add(operand, at: here)
            }
            switch name {
            case "prefix": return .prefixes(texts)
            case "suffix": return .suffixes(texts)
            case "wildcard": return .wildcards(texts)
            default: return .equalsIgnoreCase(texts)
            }
        case .null:
            throw PatternError(
                path: location, reason: "anything-but does not accept null; it takes a string, a number, or a list of them")
        case .bool:
            throw PatternError(
                path: location,
                reason: "anything-but takes a string, a number, a list of strings or of numbers, or an object with prefix, suffix, wildcard or equals-ignore-case; not a boolean")
        }
    }
}
