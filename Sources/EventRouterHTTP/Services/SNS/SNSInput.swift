#if canImport(Glibc)
import Glibc
#endif
import EventRouter

/// The parameters of one SNS query call (wire.md §3.3), read with SNS's shapes: scalars
/// `Name=v`, maps `Name.entry.N.key`/`.value`, lists `Name.member.N`, structure lists
/// `Name.member.N.Field`, and message attributes `MessageAttributes.entry.N.Name` with
/// `.Value.DataType`/`.StringValue`/`.BinaryValue` (base64).
struct SNSInput: Sendable {
    /// Each parameter's first value, by name.
    let values: SNSParameterValues

    init(_ parameters: [(String, String)]) { values = SNSParameterValues(parameters) }

    init(values: [String: String]) { self.values = SNSParameterValues(values) }

    /// The value of `name`; with `required`, an absent or empty value is `InvalidParameter`.
    func string(_ name: String, required: Bool = false) throws(AWSError) -> String? {
        let value = values[name]
        if required, value?.isEmpty ?? true {
            throw SNSErrors.invalidParameter("\(name) Reason: the request must contain the parameter \(name).")
        }
        return value
    }

    /// A boolean parameter (`true`/`false`, any case).
    func bool(_ name: String) throws(AWSError) -> Bool? {
        guard let text = values[name] else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw SNSErrors.invalidParameter("\(name) Reason: must be true or false, got '\(text)'.")
        }
    }

    /// The items `Name.member.N…` by position (1, 2, …), each as the input below it.
    func members(_ name: String) throws(AWSError) -> [(index: Int, input: SNSInput)] {
        try indexed(name + ".member.")
    }

    /// A list of strings `Name.member.N`.
    func strings(_ name: String) throws(AWSError) -> [String] {
        try members(name).map { $0.input.values[""] ?? "" }
    }

    /// A map `Name.entry.N.key` / `Name.entry.N.value`, in position order.
    func map(_ name: String) throws(AWSError) -> [(key: String, value: String)] {
        try indexed(name + ".entry.").map { item throws(AWSError) in
            guard let key = item.input.values["key"], !key.isEmpty else {
                throw SNSErrors.invalidParameter("\(name) Reason: entry \(item.index) has no key: write \(name).entry.\(item.index).key=NAME.")
            }
            return (key, item.input.values["value"] ?? "")
        }
    }

    /// `Tags.member.N.Key` / `.Value`.
    func tags() throws(AWSError) -> [(key: String, value: String)] {
        try members("Tags").map { item throws(AWSError) in
            guard let key = item.input.values["Key"], !key.isEmpty else {
                throw SNSErrors.invalidParameter("Tags Reason: tag \(item.index) has no Key: write Tags.member.\(item.index).Key=NAME.")
            }
            return (key, item.input.values["Value"] ?? "")
        }
    }

    /// `MessageAttributes.entry.N.Name` with `.Value.DataType`, `.Value.StringValue` and
    /// `.Value.BinaryValue` (base64, decoded here). Read in one pass over the names as bytes
    /// (every Publish reads them before it is answered); what ``indexed(_:)`` would refuse is
    /// refused with its words.
    func messageAttributes() throws(AWSError) -> [String: MessageAttributeValue] {
        struct Entry {
            var index: Int
            var name, type, string, binary: String?
        }
        var entries: [Entry] = []
        for (name, value) in values {
            let found = name.utf8.withContiguousStorageIfAvailable { Self.split($0, after: Self.attributeHead) }
                ?? Self.split(Array(name.utf8), after: Self.attributeHead)
            guard let found else { continue }
            guard let index = found.index else { return try indexedAttributes() }  // the error, in indexed's words
            let at: Int
            if let known = entries.firstIndex(where: { $0.index == index }) { at = known } else {
                entries.append(Entry(index: index))
                at = entries.count - 1
            }
            switch Self.attributeField(name, from: found.fieldStart) {
            case 1: entries[at].name = value
            case 2: entries[at].type = value
            case 3: entries[at].string = value
            case 4: entries[at].binary = value
            default: break
            }
        }
        var result: [String: MessageAttributeValue] = Dictionary(minimumCapacity: entries.count)
        if entries.count > 1 { entries.sort { $0.index < $1.index } }
        for entry in entries {
            guard let name = entry.name, !name.isEmpty else {
                throw SNSErrors.invalidParameter("MessageAttributes Reason: entry \(entry.index) has no Name.")
            }
            guard let type = entry.type, !type.isEmpty else {
                throw SNSErrors.parameterValueInvalid("The message attribute '\(name)' must contain a DataType (String, String.Array, Number or Binary).")
            }
            if let base64 = entry.binary {
                guard let bytes = Base64.decode(base64) else {
                    throw SNSErrors.parameterValueInvalid("The message attribute '\(name)' has a BinaryValue that is not valid base64.")
                }
                result[name] = MessageAttributeValue(dataType: type, binaryValue: bytes)
            } else {
                result[name] = MessageAttributeValue(dataType: type, stringValue: entry.string)
            }
        }
        return result
    }

    private static let attributeHead = Array("MessageAttributes.entry.".utf8)

    /// Which field of an attribute entry `name` names from byte `start`: 1 `Name`, 2
    /// `Value.DataType`, 3 `Value.StringValue`, 4 `Value.BinaryValue`, 0 another. Compared as
    /// bytes by length first, with no table built per call.
    private static func attributeField(_ name: String, from start: Int) -> Int {
        var text = name
        return text.withUTF8 { bytes -> Int in
            guard start <= bytes.count else { return 0 }
            let rest = UnsafeBufferPointer(rebasing: bytes[start...])
            switch rest.count {
            case 4: return same(rest, "Name") ? 1 : 0
            case 14: return same(rest, "Value.DataType") ? 2 : 0
            case 17: return same(rest, "Value.StringValue") ? 3 : same(rest, "Value.BinaryValue") ? 4 : 0
            default: return 0
            }
        }
    }

    /// Whether `bytes` are `field`'s (the caller checked the length).
    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ field: StaticString) -> Bool {
        memcmp(bytes.baseAddress!, field.utf8Start, field.utf8CodeUnitCount) == 0
    }

    /// The refusal of a bad list position, as ``indexed(_:)`` words it.
    private func indexedAttributes() throws(AWSError) -> [String: MessageAttributeValue] {
        _ = try indexed("MessageAttributes.entry.")
        return [:]
    }

    /// Groups `PREFIX N.rest` by N, each group's names made relative (`rest`, or `""` for `PREFIX N`).
    private func indexed(_ prefix: String) throws(AWSError) -> [(index: Int, input: SNSInput)] {
        var groups: [(index: Int, values: [String: String])] = []  // few: a scan beats hashing
        let head = Array(prefix.utf8)
        for (name, value) in values {
            // Names are split as bytes: Publish reads its attributes this way.
            let split = name.utf8.withContiguousStorageIfAvailable { Self.split($0, after: head) } ?? Self.split(Array(name.utf8), after: head)
            guard let split else { continue }
            guard let index = split.index else {
                let digits = String(decoding: Array(name.utf8)[head.count..<split.fieldStart].prefix { $0 != 0x2E }, as: UTF8.self)
                throw SNSErrors.invalidParameter("\(prefix.dropLast()) Reason: '\(digits)' in \(name) is not a list position: write \(prefix)1, \(prefix)2, …")
            }
            let field = split.fieldStart == name.utf8.count ? "" : String(decoding: Array(name.utf8)[split.fieldStart...], as: UTF8.self)
            if let at = groups.firstIndex(where: { $0.index == index }) {
                groups[at].values[field] = value
            } else {
                groups.append((index, [field: value]))
            }
        }
        return groups.sorted { $0.index < $1.index }.map { ($0.index, SNSInput(values: $0.values)) }
    }

    /// Where `PREFIX N.rest` splits: `nil` when `bytes` does not start with `head`; the list
    /// position N (`nil` when it is not 1…1000) and where `rest` starts (after the dots).
    private static func split<C: RandomAccessCollection>(_ bytes: C, after head: [UInt8]) -> (index: Int?, fieldStart: Int)?
    where C.Element == UInt8, C.Index == Int {
        guard bytes.count >= head.count else { return nil }
        let base = bytes.startIndex
        for i in 0..<head.count where bytes[base + i] != head[i] { return nil }
        var end = head.count
        var index = 0
        var valid = true
        while end < bytes.count && bytes[base + end] != 0x2E {
            let c = bytes[base + end]
            if c >= 0x30 && c <= 0x39 && index <= 1_000 { index = index * 10 + Int(c - 0x30) } else { valid = false }
            end += 1
        }
        if end == head.count || index < 1 || index > 1_000 { valid = false }
        var fieldStart = end
        while fieldStart < bytes.count && bytes[base + fieldStart] == 0x2E { fieldStart += 1 }
        return (valid ? index : nil, fieldStart)
    }
}
