extension QueueStateMachine {
    /// Checks a `SendMessage` request against SQS's rules and this queue's type and limits: a
    /// body that is made of parts (``QueueMessageBody``) is checked on the bytes of its parts in
    /// sequence (the size limit on their total), without joining them unless a character is refused.
    /// `bodyKnownPlain`: the sender has already checked the body with ``bodyIsPlainText(_:)``
    /// (a topic checks an envelope's parts once per message, not once per subscription).
    func validateSend(
        body: QueueMessageBody, attributes: [String: MessageAttributeValue], delaySeconds: Int?,
        groupId: String?, deduplicationId: String?, bodyKnownPlain: Bool = false
    ) throws(QueueError) {
        let name = configuration.name
        let bodyBytes = body.utf8Count
        if bodyBytes == 0 {
            throw QueueError(.missingParameter, "The request must contain the parameter MessageBody: send a non-empty body.")
        }
        if !bodyKnownPlain, !body.isPlainText, let bad = body.string.unicodeScalars.first(where: { !Self.isAllowedInBody($0) }) {
            let hex = String(bad.value, radix: 16, uppercase: true)
            throw QueueError(.invalidMessageContents, "Invalid binary character '#x\(hex)' was found in the message body: use only #x9, #xA, #xD and #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF (encode binary data, e.g. as base64).")
        }
        try Self.validateAttributes(attributes)
        let size = QueueMessage.size(bodyBytes: bodyBytes, attributes: attributes)
        if size > configuration.maximumMessageSize {
            throw QueueError(.invalidParameterValue, "One or more parameters are invalid. Reason: Message must be shorter than \(configuration.maximumMessageSize) bytes (this one is \(size) bytes with its attributes); shrink the body or raise MaximumMessageSize of \(name).")
        }
        if let delay = delaySeconds {
            if isFifo {
                throw QueueError.invalidValue("DelaySeconds", String(delay), "The request include parameter that is not valid for this queue type: FIFO queue \(name) takes no per-message DelaySeconds; set DelaySeconds on the queue instead.")
            }
            guard (0...900).contains(delay) else {
                throw QueueError.invalidValue("DelaySeconds", String(delay), "must be between 0 and 900 seconds (15 minutes).")
            }
        }
        if isFifo {
            guard let group = groupId else {
                throw QueueError(.missingParameter, "The request must contain the parameter MessageGroupId: FIFO queue \(name) needs a MessageGroupId on every message.")
            }
            try Self.validateToken(group, "MessageGroupId")
            if let dedup = deduplicationId {
                try Self.validateToken(dedup, "MessageDeduplicationId")
            } else if !configuration.contentBasedDeduplication {
                throw QueueError(.invalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly: send a MessageDeduplicationId or enable ContentBasedDeduplication on \(name).")
            }
        } else {
            if let group = groupId { try Self.validateToken(group, "MessageGroupId") }
            if deduplicationId != nil {
                throw QueueError.invalidValue("MessageDeduplicationId", deduplicationId ?? "", "The request include parameter that is not valid for this queue type: only FIFO queues take a MessageDeduplicationId; remove it for standard queue \(name).")
            }
        }
    }

    /// A fast check over the UTF-8 bytes: no C0 control characters other than tab, LF and CR,
    /// and no U+FFFE/U+FFFF (the only other excluded scalars a valid String can hold). Reads
    /// eight bytes at a time and looks closer only at a word holding a byte below 0x20 or an
    /// 0xEF (the lead byte of U+FFFE/U+FFFF).
    static func bodyIsPlainText(_ body: String) -> Bool {
        var copy = body
        return copy.withUTF8 { bytesArePlainText($0) }
    }

    /// ``bodyIsPlainText(_:)`` of UTF-8 bytes. A text made of parts that are each valid UTF-8
    /// (no character spans two parts) is plain text exactly when every part is.
    static func bytesArePlainText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        func plain(at i: Int) -> Bool {
            let b = bytes[i]
            if b < 0x20 && b != 0x9 && b != 0xA && b != 0xD { return false }
            if b == 0xEF && i + 2 < n && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF) { return false }
            return true
        }
        var i = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            // Sixteen ASCII bytes at a time (JSON text mostly): in a word without a high
            // bit, subtracting 0x20 from each byte sets a high bit only when some byte is
            // below 0x20. Anything else is looked at by the loop below.
            while i + 16 <= n {
                let w1 = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let w2 = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                guard (w1 | w2) & highs == 0, ((w1 &- 0x20 &* ones) | (w2 &- 0x20 &* ones)) & highs == 0 else { break }
                i += 16
            }
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let below20 = (w &- 0x20 &* ones) & ~w & highs
                let x = w ^ (0xEF &* ones)
                let isEF = (x &- ones) & ~x & highs
                if below20 | isEF != 0 {
                    for j in i..<(i + 8) where !plain(at: j) { return false }
                }
                i += 8
            }
        }
        while i < n {
            if !plain(at: i) { return false }
            i += 1
        }
        return true
    }

    /// SQS's allowed body characters (XML 1.0 characters).
    static func isAllowedInBody(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// `MessageGroupId` / `MessageDeduplicationId`: 1–128 printable ASCII characters (`!` to `~`).
    static func validateToken(_ value: String, _ parameter: String) throws(QueueError) {
        guard !value.isEmpty, value.utf8.count <= 128, value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw QueueError.invalidValue(parameter, value, "\(parameter) can only include alphanumeric and punctuation characters, 1 to 128 in length.")
        }
    }

    /// At most 10 attributes; names of letters, digits, `_`, `-`, `.` (no leading, trailing or
    /// double `.`, no `AWS.`/`Amazon.` prefix, ≤256); types `String`, `Number`, `Binary` (+ `.label`) with a value.
    static func validateAttributes(_ attributes: [String: MessageAttributeValue]) throws(QueueError) {
        if attributes.isEmpty { return }  // most messages: no sorted copy to make
        if attributes.count > 10 {
            throw QueueError(.invalidParameterValue, "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [10]: send at most 10 attributes (put the rest in the body).")
        }
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            // Bytes: an ASCII scalar is alphabetic exactly when it is A–Z or a–z.
            guard !name.isEmpty, name.utf8.count <= 256,
                name.utf8.allSatisfy({ c in
                    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D || c == 0x2E
                }),
                name.utf8.first != 0x2E, name.utf8.last != 0x2E, !MessageAttributeValue.hasDoubleDot(name),
                !MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "aws."), !MessageAttributeValue.hasPrefixIgnoringASCIICase(name, "amazon.")
            else {
                throw QueueError(.invalidParameterValue, "Message attribute name '\(name)' is invalid: use 1 to 256 letters, digits, '_', '-' and '.', no leading, trailing or double '.', and no 'AWS.' or 'Amazon.' prefix.")
            }
            switch value.baseType {
            case "String", "Number":
                guard let s = value.stringValue, !s.isEmpty else {
                    throw QueueError(.invalidParameterValue, "Message attribute '\(name)' must contain a non-empty value of message attribute type '\(value.dataType)': set StringValue.")
                }
                if value.baseType == "Number", Double(s) == nil {
                    throw QueueError(.invalidParameterValue, "Message attribute '\(name)' has the invalid Number value '\(s)': write a decimal number such as 42 or -1.5e3.")
                }
                if !bodyIsPlainText(s), let bad = s.unicodeScalars.first(where: { !isAllowedInBody($0) }) {
                    throw QueueError(.invalidParameterValue, "Message attribute '\(name)' contains the invalid character #x\(String(bad.value, radix: 16, uppercase: true)): use a Binary attribute for binary data.")
                }
            case "Binary":
                guard let b = value.binaryValue, !b.isEmpty else {
                    throw QueueError(.invalidParameterValue, "Message attribute '\(name)' must contain a non-empty value of message attribute type '\(value.dataType)': set BinaryValue.")
                }
            default:
                throw QueueError(.invalidParameterValue, "The type of message attribute '\(name)' is invalid: DataType '\(value.dataType)' must be String, Number or Binary, optionally followed by '.label'.")
            }
        }
    }
}
