extension ARN {
    /// Whether `name` is a valid topic name: 1–256 of `A–Z a–z 0–9 - _`, and for a FIFO topic
    /// the suffix `.fifo`.
    static func isValidTopicName(_ name: String, fifo: Bool) -> Bool {
        var base = Substring(name)
        if fifo {
            guard name.hasSuffix(".fifo") else { return false }
            base = base.dropLast(5)
        }
        guard !base.isEmpty, name.utf8.count <= 256 else { return false }
        return base.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}
