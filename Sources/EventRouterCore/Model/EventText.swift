/// Writes an event envelope's compact JSON text directly, with the bytes ``JSONSerializer``
/// writes for the same envelope value (keys in EventBridge's order, the same string escapes).
enum EventText {
    /// `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,"time":…,"region":…,"resources":[…],"detail":DETAIL}`
    static func envelope(id: String, detailType: String, source: String, account: String, timeText: String, region: String,
                         resources: [String], compactDetail: String) -> String {
        var out = ""
        out.reserveCapacity(160 + id.utf8.count + detailType.utf8.count + source.utf8.count + compactDetail.utf8.count
                            + resources.reduce(0) { $0 + $1.utf8.count + 3 })
        out += #"{"version":"0","id":"#
        appendQuoted(id, to: &out)
        out += #","detail-type":"#
        appendQuoted(detailType, to: &out)
        out += #","source":"#
        appendQuoted(source, to: &out)
        out += #","account":"#
        appendQuoted(account, to: &out)
        out += #","time":"#
        appendQuoted(timeText, to: &out)
        out += #","region":"#
        appendQuoted(region, to: &out)
        out += #","resources":["#
        for (i, r) in resources.enumerated() {
            if i > 0 { out += "," }
            appendQuoted(r, to: &out)
        }
        out += #"],"detail":"#
        out += compactDetail
        out += "}"
        return out
    }

    /// Appends `s` as a JSON string literal: as is between quotes when nothing in it needs an
    /// escape, else as ``JSONSerializer/quoted(_:)`` writes it.
    static func appendQuoted(_ s: String, to out: inout String) {
        var plain = true
        for b in s.utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out += "\""
            out += s
            out += "\""
        } else {
            out += JSONSerializer.quoted(s)
        }
    }
}
