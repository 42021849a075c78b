import EventRouter

/// The parameters of one SNS query call (wire.md §3.3), read with SNS's shapes: scalars
/// `Name=v`, maps `Name.entry.N.key`/`.value`, lists `Name.member.N`, structure lists
/// `Name.member.N.Field`, and message attributes `MessageAttributes.entry.N.Name` with
/// `.Value.DataType`/`.StringValue`/`.BinaryValue` (base64).
struct SNSInput: Sendable {
    /// Each parameter's first value, by name.
    let values: [String: String]

    init(_ parameters: [(String, String)]) {
        var values: [String: String] = Dictionary(minimumCapacity: parameters.count)
        for (name, value) in parameters where values[name] == nil { values[name] = value }
        self.values = values
    }

    init(values: [String: String]) { self.values = values }

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
    /// `.Value.BinaryValue` (base64, decoded here).
    func messageAttributes() throws(AWSError) -> [String: MessageAttributeValue] {
        var result: [String: MessageAttributeValue] = [:]
        for item in try indexed("MessageAttributes.entry.") {
            let v = item.input.values
            guard let name = v["Name"], !name.isEmpty else {
                throw SNSErrors.invalidParameter("MessageAttributes Reason: entry \(item.index) has no Name.")
            }
            guard let type = v["Value.DataType"], !type.isEmpty else {
                throw SNSErrors.parameterValueInvalid("The message attribute '\(name)' must contain a DataType (String, String.Array, Number or Binary).")
            }
            if let base64 = v["Value.BinaryValue"] {
                guard let bytes = Base64.decode(base64) else {
                    throw SNSErrors.parameterValueInvalid("The message attribute '\(name)' has a BinaryValue that is not valid base64.")
                }
                result[name] = MessageAttributeValue(dataType: type, binaryValue: bytes)
            } else {
                result[name] = MessageAttributeValue(dataType: type, stringValue: v["Value.StringValue"])
            }
        }
        return result
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
