/// EventBridge's size rule for one PutEvents entry.
///
/// The size is the UTF-8 byte count of `Source`, `DetailType`, `Detail` and each of
/// `Resources`, plus 14 bytes when `Time` is given. The limit was 256 KB for years and was
/// raised to 1 MB in 2026; EventRouter defaults to 256 KB and lets you configure it.
public enum EventSize {
    /// 256 KB, EventBridge's classic limit.
    public static let defaultLimit = 262_144

    /// The size of an entry with these fields.
    public static func of(source: String, detailType: String, detailText: String, resources: [String], hasTime: Bool) -> Int {
        of(source: source, detailType: detailType, detailBytes: detailText.utf8.count, resources: resources, hasTime: hasTime)
    }

    /// The size of an entry whose detail text is `detailBytes` UTF-8 bytes long.
    public static func of(source: String, detailType: String, detailBytes: Int, resources: [String], hasTime: Bool) -> Int {
        var total = source.utf8.count + detailType.utf8.count + detailBytes
        for r in resources { total += r.utf8.count }
        return total + (hasTime ? 14 : 0)
    }
}
