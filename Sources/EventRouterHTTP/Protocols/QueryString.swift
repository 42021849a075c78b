#if canImport(Glibc)
import Glibc
#endif

/// `name=value&…` text: URL query strings and `application/x-www-form-urlencoded` bodies.
public enum QueryString {
    /// The decoded pairs, in order, keeping what cannot be decoded as it is (the request parser
    /// has already rejected bad percent-encoding in targets). A name without `=` has an empty value.
    public static func pairs(_ text: String, decodePlus: Bool = true) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let eq = item.firstIndex(of: "=")
            let name = eq.map { item[..<$0] } ?? item
            let value = eq.map { item[item.index(after: $0)...] } ?? ""
            return (PercentEncoding.decodeLeniently(name, plusAsSpace: decodePlus), PercentEncoding.decodeLeniently(value, plusAsSpace: decodePlus))
        }
    }

    /// Decodes a form body strictly: `+` is a space, `%XX` must be valid, the result UTF-8.
    /// - Throws: ``FormDecodingError`` naming the parameter and the offset.
    public static func decodeForm(_ body: [UInt8]) throws(FormDecodingError) -> [(String, String)] {
        // Every query-protocol call decodes its body before it is answered: a well-formed body
        // takes the pass over raw bytes; anything it cannot decode goes the careful way below,
        // which names the parameter and offset.
        if let pairs = body.withUnsafeBufferPointer(decodeWellFormedForm) { return pairs }
        var result: [(String, String)] = []
        var offset = 0
        for item in body.split(separator: 0x26, omittingEmptySubsequences: false) {
            defer { offset += item.count + 1 }
            if item.isEmpty { continue }
            let eq = item.firstIndex(of: 0x3D)
            let name = eq.map { item[..<$0] } ?? item[...]
            let value = eq.map { item[($0 + 1)...] } ?? []
            do {
                let decodedName = try PercentEncoding.decode(name, plusAsSpace: true)
                let decodedValue = try PercentEncoding.decode(value, plusAsSpace: true)
                result.append((decodedName, decodedValue))
            } catch {
                let shownName = HTTPRequestHead.printable(name.prefix(60))
                throw FormDecodingError(message: "invalid form encoding in parameter '\(shownName)' (body offset \(offset)): \(error.reason) ('\(error.text)')")
            }
        }
        return result
    }
}

extension QueryString {
    /// The value of `Action` when it is the body's first parameter (as the SDKs and the AWS CLI
    /// send it) and plain letters: a look at the operation before the body is decoded.
    public static func leadingAction(_ body: [UInt8]) -> String? {
        body.withUnsafeBufferPointer { bytes -> String? in
            let prefix: StaticString = "Action="
            guard bytes.count > prefix.utf8CodeUnitCount else { return nil }
            for i in 0..<prefix.utf8CodeUnitCount where bytes[i] != prefix.utf8Start[i] { return nil }
            var end = prefix.utf8CodeUnitCount
            while end < bytes.count && bytes[end] != 0x26 {
                let c = bytes[end] | 0x20
                guard c >= 0x61 && c <= 0x7A else { return nil }
                end += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.utf8CodeUnitCount..<end]), as: UTF8.self)
        }
    }

    /// The pairs of a form body whose every name and value decodes; `nil` at the first that does
    /// not (bad `%XX` or not UTF-8), for ``decodeForm(_:)`` to report.
    private static func decodeWellFormedForm(_ bytes: UnsafeBufferPointer<UInt8>) -> [(String, String)]? {
        var result: [(String, String)] = []
        var pairs = 1, at = 0
        while at < bytes.count {  // the `&`s counted with memchr: bodies are long, separators few
            at += firstOffset(of: 0x26, in: UnsafeBufferPointer(rebasing: bytes[at...])) + 1
            if at <= bytes.count { pairs += 1 }
        }
        result.reserveCapacity(pairs)
        var start = 0
        while start <= bytes.count {
            let end = start + firstOffset(of: 0x26, in: UnsafeBufferPointer(rebasing: bytes[start...]))
            if end > start {
                let eq = start + firstOffset(of: 0x3D, in: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                guard let name = decodeFormText(UnsafeBufferPointer(rebasing: bytes[start..<eq])),
                      let value = decodeFormText(UnsafeBufferPointer(rebasing: bytes[(eq < end ? eq + 1 : end)..<end]))
                else { return nil }
                result.append((name, value))
            }
            start = end + 1
        }
        return result
    }

    /// The offset of the first `byte` in `bytes`, or `bytes.count` (`memchr`).
    private static func firstOffset(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress, !bytes.isEmpty, let found = memchr(base, Int32(byte), bytes.count) else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `+` as a space and `%XX` decoded, as ``PercentEncoding/decode(_:plusAsSpace:)`` does; `nil`
    /// when it would throw.
    private static func decodeFormText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var high: UInt8 = 0, escapes: UInt8 = 0
        for c in bytes {  // branch-free, so the compiler can take many bytes at a time
            high |= c & 0x80
            escapes |= (c == 0x25 ? 1 : 0) | (c == 0x2B ? 1 : 0)
        }
        let plain = escapes == 0
        if plain && high == 0 { return String(decoding: bytes, as: UTF8.self) }  // nothing to decode or validate
        guard !plain else { return String(validating: bytes, as: UTF8.self) }
        if high == 0, let ascii = decodeASCIIEscapes(bytes) { return ascii }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x25 {
                guard i + 2 < bytes.count, let hi = HTTPRequestHead.hexValue(bytes[i + 1]), let lo = HTTPRequestHead.hexValue(bytes[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(c == 0x2B ? 0x20 : c)
                i += 1
            }
        }
        return out.allSatisfy({ $0 < 0x80 }) ? String(decoding: out, as: UTF8.self) : String(validating: out, as: UTF8.self)
    }
}

extension QueryString {
    /// ASCII form text with escapes (`arn%3Aaws%3Asns…`, `a+b`) decoded straight into the new
    /// string's storage; `nil` when an escape is malformed or decodes to a non-ASCII byte (the
    /// caller then validates the bytes as UTF-8).
    fileprivate static func decodeASCIIEscapes(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var failed = false
        let text = String(unsafeUninitializedCapacity: bytes.count) { out -> Int in
            var i = 0, n = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x25 {
                    guard i + 2 < bytes.count, let hi = HTTPRequestHead.hexValue(bytes[i + 1]), let lo = HTTPRequestHead.hexValue(bytes[i + 2]),
                          hi < 8 else {
                        failed = true
                        return 0
                    }
                    out[n] = hi << 4 | lo
                    i += 3
                } else {
                    out[n] = c == 0x2B ? 0x20 : c
                    i += 1
                }
                n += 1
            }
            return n
        }
        return failed ? nil : text
    }
}

/// A form body that cannot be decoded.
public struct FormDecodingError: Error, Sendable, Equatable {
    /// What is wrong, naming the parameter and offset.
    public var message: String
}
