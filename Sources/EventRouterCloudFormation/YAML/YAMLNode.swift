/// One node of a YAML document, with the line and column (1-based) where it starts.
///
/// Aliases are already replaced by a copy of their anchored node; tags are kept as written
/// (`!Ref`, `!!str`), untagged scalars keep their text and style so the caller types them.
public struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written.
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// A key and its value in a mapping.
    public struct Pair: Sendable, Equatable {
        public var key: YAMLNode
        public var value: YAMLNode
        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// What the node holds.
    public enum Content: Sendable, Equatable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public var content: Content
    /// The tag as written (`!Ref`, `!!int`), or `nil`.
    public var tag: String?
    public var line: Int
    public var column: Int

    public init(_ content: Content, tag: String? = nil, line: Int, column: Int) {
        self.content = content
        self.tag = tag
        self.line = line
        self.column = column
    }

    /// The number of nodes in this tree (for the alias-expansion limit).
    var size: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return items.reduce(1) { $0 + $1.size }
        case .mapping(let pairs): return pairs.reduce(1) { $0 + $1.key.size + $1.value.size }
        }
    }
}
