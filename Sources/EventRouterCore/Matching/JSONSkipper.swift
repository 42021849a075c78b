/// Validation-only JSON reading over raw UTF-8 (`p[i..<n]`), accepting exactly what
/// ``JSONParser`` accepts: strings (escapes, surrogate pairs, UTF-8, no raw control
/// characters), numbers, literals and whole containers, iteratively, up to a nesting limit.
/// Strings and digit runs are scanned eight bytes at a time.
enum JSONSkipper {
    @inline(__always)
    static func whitespace(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        while i < n {
            let b = p[i]
            if b > 0x20 || !(b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) { return }
            i += 1
        }
    }

    /// Skips the object or array at `i`, which sits at nesting `depth`; `stack` has room for
    /// `maximumDepth - depth + 1` bytes.
    static func container(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ pos: inout Int, depth: Int, maximumDepth: Int,
        stack: UnsafeMutablePointer<UInt8>
    ) throws(ScanFailure) {
        // Indexes stay within 0...n and `top` within 0...room, so wrapping arithmetic is exact.
        var i = pos
        defer { pos = i }
        let room = maximumDepth &- depth  // containers that may be open at once
        var top = 0
        var close: UInt8 = 0  // the closing byte of the innermost open container
        var afterValue = false
        var opening = true
        while true {
            if opening {
                opening = false
                if top >= room { throw ScanFailure(offset: i) }
                let c = p[i]
                stack[top] = c
                top &+= 1
                close = c &+ 2  // '}' = '{' + 2, ']' = '[' + 2
                i &+= 1
                if i < n && p[i] <= 0x20 { whitespace(p, n, &i) }
                if i < n && p[i] == close {
                    i &+= 1
                    top &-= 1
                    if top == 0 { return }
                    close = stack[top &- 1] &+ 2
                    afterValue = true
                } else {
                    afterValue = false
                }
            }
            if afterValue {
                guard i < n else { throw ScanFailure(offset: i) }
                var c = p[i]
                if c <= 0x20 {
                    whitespace(p, n, &i)
                    guard i < n else { throw ScanFailure(offset: i) }
                    c = p[i]
                }
                if c == 0x2C {
                    i &+= 1
                    afterValue = false
                } else if c == close {
                    i &+= 1
                    top &-= 1
                    if top == 0 { return }
                    close = stack[top &- 1] &+ 2
                    continue
                } else {
                    throw ScanFailure(offset: i)
                }
            }
            // A member (key and value) or an element; compact JSON takes the direct branches.
            guard i < n else { throw ScanFailure(offset: i) }
            var b = p[i]
            if b <= 0x20 {
                whitespace(p, n, &i)
                guard i < n else { throw ScanFailure(offset: i) }
                b = p[i]
            }
            if close == 0x7D {
                guard b == 0x22 else { throw ScanFailure(offset: i) }
                _ = try string(p, n, &i)
                if i < n && p[i] == 0x3A {
                    i &+= 1
                } else {
                    whitespace(p, n, &i)
                    guard i < n, p[i] == 0x3A else { throw ScanFailure(offset: i) }
                    i &+= 1
                }
                guard i < n else { throw ScanFailure(offset: i) }
                b = p[i]
                if b <= 0x20 {
                    whitespace(p, n, &i)
                    guard i < n else { throw ScanFailure(offset: i) }
                    b = p[i]
                }
            }
            if b == 0x22 {
                _ = try string(p, n, &i)
            } else if b == 0x7B || b == 0x5B {
                opening = true
                continue
            } else if b == 0x74 || b == 0x66 || b == 0x6E {
                _ = try literal(p, n, &i)
            } else {
                i = try number(p, n, from: i)
            }
            afterValue = true
        }
    }

    /// Skips the string at `i` (a quote); returns flags: 1 non-ASCII, 2 escapes.
    @inline(__always)
    static func string(_ p: UnsafePointer<UInt8>, _ n: Int, _ pos: inout Int) throws(ScanFailure) -> UInt8 {
        var i = pos + 1
        var flags: UInt8 = 0
        let raw = UnsafeRawPointer(p)
        while true {
            // Eight bytes at a time while none is a quote, backslash, control or non-ASCII.
            while i &+ 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let q = w ^ 0x2222_2222_2222_2222
                let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = (((q &- 0x0101_0101_0101_0101) & ~q) | ((b &- 0x0101_0101_0101_0101) & ~b)
                    | ((w &- 0x2020_2020_2020_2020) & ~w) | w) & 0x8080_8080_8080_8080
                if special == 0 {
                    i &+= 8
                } else {
                    i &+= special.trailingZeroBitCount >> 3
                    break
                }
            }
            guard i < n else { throw ScanFailure(offset: pos) }
            let c = p[i]
            if c == 0x22 {
                pos = i + 1
                return flags
            }
            if c == 0x5C {
                flags |= 2
                i = try escape(p, n, at: i)
            } else if c >= 0x80 {
                flags |= 1
                i = try utf8Sequence(p, n, at: i)
            } else if c < 0x20 {
                throw ScanFailure(offset: i)
            } else {
                i += 1
            }
        }
    }

    /// Validates the escape at `i` (a backslash); returns the index after it.
    private static func escape(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) throws(ScanFailure) -> Int {
        guard i + 1 < n else { throw ScanFailure(offset: i) }
        switch p[i + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: return i + 2
        case 0x75:
            let v = try hex4(p, n, at: i + 2)
            if v >= 0xD800 && v < 0xDC00 {
                guard i + 7 < n, p[i + 6] == 0x5C, p[i + 7] == 0x75 else { throw ScanFailure(offset: i) }
                let low = try hex4(p, n, at: i + 8)
                guard low >= 0xDC00 && low < 0xE000 else { throw ScanFailure(offset: i) }
                return i + 12
            }
            if v >= 0xDC00 && v < 0xE000 { throw ScanFailure(offset: i) }
            return i + 6
        default: throw ScanFailure(offset: i)
        }
    }

    private static func hex4(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) throws(ScanFailure) -> UInt32 {
        guard i + 4 <= n else { throw ScanFailure(offset: i) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = p[i + k]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw ScanFailure(offset: i + k)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Validates the UTF-8 sequence starting at `i`; returns the index after it.
    private static func utf8Sequence(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) throws(ScanFailure) -> Int {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: if cont(1) { return i + 2 }
        case 0xE0: if cont(1, 0xA0, 0xBF) && cont(2) { return i + 3 }
        case 0xE1...0xEC, 0xEE...0xEF: if cont(1) && cont(2) { return i + 3 }
        case 0xED: if cont(1, 0x80, 0x9F) && cont(2) { return i + 3 }
        case 0xF0: if cont(1, 0x90, 0xBF) && cont(2) && cont(3) { return i + 4 }
        case 0xF1...0xF3: if cont(1) && cont(2) && cont(3) { return i + 4 }
        case 0xF4: if cont(1, 0x80, 0x8F) && cont(2) && cont(3) { return i + 4 }
        default: break
        }
        throw ScanFailure(offset: i)
    }

    /// Skips `true`, `false` or `null` at `i`.
    @inline(__always)
    static func literal(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(ScanFailure) -> LeafKind {
        let b = p[i]
        if b == 0x74, i + 4 <= n, p[i + 1] == 0x72, p[i + 2] == 0x75, p[i + 3] == 0x65 {
            i += 4
            return .true
        }
        if b == 0x66, i + 5 <= n, p[i + 1] == 0x61, p[i + 2] == 0x6C, p[i + 3] == 0x73, p[i + 4] == 0x65 {
            i += 5
            return .false
        }
        if b == 0x6E, i + 4 <= n, p[i + 1] == 0x75, p[i + 2] == 0x6C, p[i + 3] == 0x6C {
            i += 4
            return .null
        }
        throw ScanFailure(offset: i)
    }

    /// Advances `i` past a run of ASCII digits, eight bytes at a time where possible.
    @inline(__always)
    private static func digits(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x3030_3030_3030_3030
            // A byte is a digit when x < 10: flag x >= 10 (x + 0x76 reaches 0x80) or x >= 0x80.
            let other = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
            if other != 0 {
                i &+= other.trailingZeroBitCount >> 3
                return
            }
            i &+= 8
        }
        while i < n && p[i] &- 0x30 < 10 { i += 1 }
    }

    /// Skips the number at `start` (RFC 8259 grammar); returns the index after it.
    static func number(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) throws(ScanFailure) -> Int {
        var i = start
        if i < n && p[i] == 0x2D { i &+= 1 }
        let integer = i
        digits(p, n, &i)
        // At least one digit, and no leading zero.
        guard i > integer else { throw ScanFailure(offset: i) }
        if p[integer] == 0x30 && i > integer + 1 { throw ScanFailure(offset: integer + 1) }
        guard i < n else { return i }
        if p[i] == 0x2E {
            i &+= 1
            let fraction = i
            digits(p, n, &i)
            guard i > fraction else { throw ScanFailure(offset: i) }
            if i == n { return i }
        }
        if (p[i] | 0x20) == 0x65 {
            i &+= 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i &+= 1 }
            guard i < n, p[i] &- 0x30 < 10 else { throw ScanFailure(offset: i) }
            digits(p, n, &i)
        }
        return i
    }
}
