import EventRouter

/// Imports CloudFormation/SAM templates into an EventRouter workspace (docs/cloudformation.md):
/// every problem of every template at once, or the files to write and a report.
public enum TemplateImporter {
    /// The outcome: the files of the workspace (relative paths) and the report.
    public struct Result: Sendable {
        public var files: [ImportedFile]
        /// The report in Markdown (also written as `IMPORT-REPORT.md`).
        public var report: String
    }

    static let supportedTypes: Set<String> = [
        "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::Events::Archive", "AWS::Events::EventBusPolicy", "AWS::SQS::Queue",
        "AWS::SQS::QueuePolicy", "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy", "AWS::Kinesis::Stream",
        "AWS::Lambda::Function", "AWS::Lambda::EventInvokeConfig", "AWS::Lambda::EventSourceMapping", "AWS::Lambda::Permission",
        "AWS::Serverless::Function", "AWS::Events::Connection", "AWS::Events::ApiDestination",
    ]

    /// Imports `sources` in order; an `Fn::ImportValue` may name an export of any of them.
    /// - Throws: ``ImportError`` with every problem (file, line, logical id).
    public static func run(_ sources: [TemplateSource], options: ImportOptions = ImportOptions()) throws(ImportError) -> Result {
        var problems: [ImportProblem] = []
        var templates: [(TemplateSource, TemplateNode)] = []
        for s in sources {
            do { templates.append((s, try TemplateReader.read(s.text))) }
            catch { problems.append(ImportProblem(file: s.path, line: error.line, logicalId: nil, "syntax error at column \(error.column): \(error.message)")) }
        }
        var exports: [String: JSONValue] = [:]
        var exportOrigin: [String: String] = [:]
        var pending = Array(templates.indices)
        var done: [Int: (StackContext, WorkspaceDraft)] = [:]
        // Stacks whose only problems are imports of exports not known yet wait for the others.
        var progress = true
        while progress && !pending.isEmpty {
            progress = false
            var still: [Int] = []
            for index in pending {
                let (source, node) = templates[index]
                let stack = StackContext(source: source, template: node, exports: exports)
                var draft = WorkspaceDraft()
                importStack(stack, options: options, into: &draft)
                let onlyImports = !stack.problems.isEmpty && stack.problems.allSatisfy { $0.message.hasPrefix("Fn::ImportValue") }
                if onlyImports && pending.count > 1 {
                    still.append(index)
                    done[index] = (stack, draft)
                    continue
                }
                done[index] = (stack, draft)
                progress = true
                for (name, value) in stackExports(stack) {
                    if let other = exportOrigin[name] {
                        stack.problem("export name \(name) is already exported by \(other); export names are unique per account and region", logicalId: "Outputs")
                    }
                    exports[name] = value
                    exportOrigin[name] = source.path
                }
            }
            if still.count == pending.count { break }
            pending = still
        }
        var merged = WorkspaceDraft()
        for index in templates.indices {
            guard let (stack, draft) = done[index] else { continue }
            problems += stack.problems
            merged.entries += draft.entries
            merged.functions += draft.functions
            merged.subscriptions += draft.subscriptions
            merged.busStatements += draft.busStatements
            merged.invokeConfigs += draft.invokeConfigs
            merged.stacks.append((stack.stackName, stack.account, stack.region))
            for (heading, lines) in draft.report { for l in lines { merged.note(heading, l) } }
        }
        if !problems.isEmpty { throw ImportError(problems: problems) }
        let declared = Set(templates.flatMap { $0.1["Parameters"]?.members?.map(\.key) ?? [] })
        for key in options.parameters.keys.sorted() where !declared.contains(key) {
            merged.note("Notes", "--parameter \(key) is declared by no template; it was not used")
        }
        var assembler = WorkspaceAssembler(draft: merged)
        let files = assembler.assemble()
        if !assembler.problems.isEmpty { throw ImportError(problems: assembler.problems) }
        return Result(files: files + [ImportedFile(path: "IMPORT-REPORT.md", text: assembler.reportText(sources: sources))],
                      report: assembler.reportText(sources: sources))
    }

    static func stackExports(_ stack: StackContext) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        for m in stack.template["Outputs"]?.members ?? [] {
            guard let export = m.value["Export"]?["Name"] else { continue }
            stack.current = m.key
            if let c = m.value["Condition"]?.scalarText, !stack.condition(c, at: m.value["Condition"], logicalId: m.key) { continue }
            guard let name = stack.resolveString(export, what: "Export Name"), let valueNode = m.value["Value"] else { continue }
            out.append((name, stack.resolve(valueNode) ?? .null))
        }
        stack.current = nil
        return out
    }

    static func importStack(_ stack: StackContext, options: ImportOptions, into draft: inout WorkspaceDraft) {
        stack.readSections(cliParameters: options.parameters)
        for m in stack.template["Conditions"]?.members ?? [] { _ = stack.condition(m.key, at: m.value, logicalId: m.key) }
        stack.checkReferences()
        for id in stack.resourceOrder {
            guard let r = stack.resources[id] else { continue }
            stack.current = id
            defer { stack.current = nil }
            guard stack.isCreated(r) else {
                draft.note("Notes", "\(stack.stackName)/\(id) (\(r.type)): not created (its Condition is false)")
                continue
            }
            switch r.type {
            case "AWS::Events::EventBus": stack.importBus(r, into: &draft)
            case "AWS::Events::Rule": stack.importRule(r, into: &draft)
            case "AWS::Events::Archive": stack.importArchive(r, into: &draft)
            case "AWS::Events::EventBusPolicy": stack.importBusPolicy(r, into: &draft)
            case "AWS::SQS::Queue": stack.importQueue(r, into: &draft)
            case "AWS::SNS::Topic": stack.importTopic(r, into: &draft)
            case "AWS::SNS::Subscription": stack.importSubscription(r, into: &draft)
            case "AWS::Kinesis::Stream": stack.importStream(r, into: &draft)
            case "AWS::Events::Connection": stack.importConnection(r, into: &draft)
            case "AWS::Events::ApiDestination": stack.importApiDestination(r, into: &draft)
            case "AWS::Lambda::Function": stack.importFunction(r, sam: false, options: options, into: &draft)
            case "AWS::Serverless::Function": stack.importFunction(r, sam: true, options: options, into: &draft)
            case "AWS::Lambda::EventInvokeConfig": stack.importInvokeConfig(r, into: &draft)
            case "AWS::Lambda::EventSourceMapping": stack.importEventSourceMapping(r, into: &draft)
            case "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::Lambda::Permission":
                draft.note("Notes", "\(stack.stackName)/\(id) (\(r.type)): accepted, not enforced (EventRouter delivers to queues, topics and functions without resource policies)")
            case "AWS::Serverless::Application":
                stack.problem("AWS::Serverless::Application (a nested application) cannot be imported; import its template as another TEMPLATE@STACK and replace its outputs with Fn::ImportValue",
                              at: TemplateNode(.null, line: r.line))
            case "AWS::CloudFormation::Stack":
                draft.note("Skipped resources", "\(stack.stackName)/\(id) (AWS::CloudFormation::Stack): a nested stack; import its template as another TEMPLATE@STACK")
            default:
                draft.note("Skipped resources", "\(stack.stackName)/\(id) (\(r.type)): EventRouter does not run this resource type")
            }
        }
    }
}
