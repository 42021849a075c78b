/// The body of a queued message: one String, or three parts (head, middle, tail) whose bytes in
/// sequence are the body.
///
/// A topic publishing to N subscribed queues stores its SQS envelope's head and tail once (a
/// ``Shared`` held by all N messages) plus each subscription's escaped ARN (which the
/// subscription's route keeps), instead of N copies of a ~1 KB envelope that differ only in the
/// ARN inside `UnsubscribeURL`. Everything a client observes is the same bytes: ``string``
/// materialises the body when it is read (receive, dead-letter and move tasks keep the parts;
/// the journal and snapshot write the parts in sequence, which are the bytes of the String).
///
/// 24 bytes (a String and an optional reference), 8 more than a String; ``QueueMessage`` keeps
/// its 128-byte stride (its state and receive count moved into padding).
struct QueueMessageBody: Sendable {
    /// An envelope's head and tail, shared by every message made from one
    /// ``TopicEnvelope/SQSTemplate``.
    final class Shared: Sendable {
        /// The bytes before the middle part.
        let head: String
        /// The bytes after the middle part.
        let tail: String

        init(head: String, tail: String) {
            self.head = head
            self.tail = tail
        }
    }

    /// The whole body (`shared == nil`), or the middle part.
    private let text: String
    /// The head and tail around `text`; `nil`: `text` is the whole body.
    let shared: Shared?

    /// A one-String body.
    init(_ text: String) {
        self.text = text
        self.shared = nil
    }

    /// The body `shared.head + middle + shared.tail`.
    init(_ shared: Shared, middle: String) {
        self.text = middle
        self.shared = shared
    }

    /// Whether the body is made of parts (not one String).
    var isShared: Bool { shared != nil }

    /// The body's UTF-8 byte count, without materialising it (native Strings count in O(1)).
    var utf8Count: Int {
        guard let shared else { return text.utf8.count }
        return shared.head.utf8.count + text.utf8.count + shared.tail.utf8.count
    }

    /// Whether the body has no bytes.
    var isEmpty: Bool { shared == nil ? text.isEmpty : utf8Count == 0 }

    /// The body as one String (a copy of the parts into one exactly sized String; the String
    /// itself for a one-String body).
    var string: String {
        guard let shared else { return text }
        var out = String()
        out.reserveCapacity(utf8Count)
        out.append(shared.head)
        out.append(text)
        out.append(shared.tail)
        return out
    }

    /// Calls `body` with the UTF-8 bytes of each part in order (once for a one-String body; empty
    /// parts are passed too). Every part is valid UTF-8 on its own: no character spans two parts.
    func forEachPart(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        if let shared {
            var head = shared.head, middle = text, tail = shared.tail
            try head.withUTF8(body)
            try middle.withUTF8(body)
            try tail.withUTF8(body)
        } else {
            var whole = text
            try whole.withUTF8(body)
        }
    }

    /// Whether every part holds only characters SQS accepts in a body
    /// (``QueueStateMachine/bytesArePlainText(_:)`` of each part: the same answer as for the String).
    var isPlainText: Bool {
        var plain = true
        forEachPart { if plain && !QueueStateMachine.bytesArePlainText($0) { plain = false } }
        return plain
    }
}
