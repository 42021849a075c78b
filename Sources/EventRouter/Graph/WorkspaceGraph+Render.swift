extension WorkspaceGraph {
    /// The output formats of `eventrouter graph`.
    public enum Format: String, Sendable, CaseIterable {
        case mermaid, dot, json
    }

    /// The graph as Mermaid (`flowchart LR`), Graphviz DOT or JSON.
    public func render(_ format: Format) -> String {
        switch format {
        case .mermaid: return mermaid
        case .dot: return dot
        case .json: return json.jsonText + "\n"
        }
    }

    package static func mermaidText(_ s: String) -> String {
        s.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "\n", with: "<br/>")
    }

    var mermaid: String {
        var out = "flowchart LR\n"
        if let note { out += "  %% \(note)\n" }
        for n in nodes {
            let t = "\"" + Self.mermaidText(n.label) + "\""
            let shape: String
            switch n.kind {
            case .bus: shape = "[[\(t)]]"
            case .rule: shape = "{{\(t)}}"
            case .queue, .stream: shape = "[(\(t))]"
            case .topic: shape = "([\(t)])"
            case .function: shape = "[/\(t)/]"
            case .archive: shape = "[(\(t))]"
            case .external: shape = ">\(t)]"
            }
            out += "  \(n.id)\(shape)\n"
        }
        for e in edges {
            let arrow = e.kind == .deadLetter || e.kind == .archive ? "-.->" : (e.crossAccount ? "==>" : "-->")
            let label = e.crossAccount ? e.label + " (cross-account)" : e.label
            out += "  \(e.from) \(arrow)|\"\(Self.mermaidText(label))\"| \(e.to)\n"
        }
        return out
    }

    package static func dotText(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    var dot: String {
        var out = "digraph workspace {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n"
        if let note { out += "  label=\"\(Self.dotText(note))\";\n" }
        for n in nodes {
            let shape: String
            switch n.kind {
            case .bus: shape = "box3d"
            case .rule: shape = "hexagon"
            case .queue, .stream, .archive: shape = "cylinder"
            case .topic: shape = "ellipse"
            case .function: shape = "parallelogram"
            case .external: shape = "note"
            }
            out += "  \(n.id) [label=\"\(Self.dotText(n.label))\", shape=\(shape)];\n"
        }
        for e in edges {
            var attrs = ["label=\"\(Self.dotText(e.crossAccount ? e.label + " (cross-account)" : e.label))\""]
            if e.kind == .deadLetter || e.kind == .archive { attrs.append("style=dashed") }
            if e.crossAccount { attrs.append("penwidth=2") }
            out += "  \(e.from) -> \(e.to) [\(attrs.joined(separator: ", "))];\n"
        }
        return out + "}\n"
    }

    /// `{"nodes": [{id, arn, kind, label, account}], "edges": [{from, to, kind, label, crossAccount}]}`.
    public var json: JSONValue {
        var o = JSONObject()
        o["nodes"] = .array(nodes.map { n in
            ["id": .string(n.id), "arn": .string(n.arn), "kind": .string(n.kind.rawValue), "label": .string(n.label), "account": .string(n.account)]
        })
        o["edges"] = .array(edges.map { e in
            ["from": .string(e.from), "to": .string(e.to), "kind": .string(e.kind.rawValue), "label": .string(e.label), "crossAccount": .bool(e.crossAccount)]
        })
        if let note { o["note"] = .string(note) }
        return .object(o)
    }
}
