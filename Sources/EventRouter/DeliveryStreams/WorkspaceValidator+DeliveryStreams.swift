/// The `DeliveryStreams` section of rule files (after streams and functions are read: a
/// stream's source must be a declared Kinesis stream, its transform a function in `Functions/`).
extension WorkspaceValidator {
    mutating func readDeliveryStreams() {
        for entry in sections["DeliveryStreams"] ?? [] {
            fields.file = entry.file
            guard let configuration = DeliveryStreamConfiguration.read(entry.object, account: entry.account, region: entry.region,
                                                                        at: entry.path, fields: &fields) else { continue }
            let declaration = DeliveryStreamDeclaration(configuration: configuration, json: entry.object, file: entry.file)
            if let first = deliveryStreams.first(where: { $0.arn == declaration.arn }) {
                error(entry.file, "\(entry.path).DeliveryStreamName", "duplicate delivery stream '\(declaration.name)' in account \(declaration.account) (first declared in \(first.file))")
                continue
            }
            if let source = configuration.sourceStreamArn, declaredARNs[source] != "Streams", let arn = try? ARN(parsing: source) {
                error(entry.file, "\(entry.path).KinesisStreamSourceConfiguration.KinesisStreamARN",
                      undeclared("stream", arn, among: streams.filter { $0.account == arn.account }.map(\.name)) + "; declare it under Streams")
            }
            if let transform = configuration.transform, let arn = try? ARN(parsing: transform.functionArn) {
                let manifest = functions.first { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
                if manifest == nil {
                    error(entry.file, "\(entry.path).ExtendedS3DestinationConfiguration.ProcessingConfiguration", missingFunction(arn, subject: "LambdaArn"))
                }
            }
            accounts.insert(declaration.account)
            declaredARNs[declaration.arn] = "DeliveryStreams"
            deliveryStreams.append(declaration)
        }
    }

    /// A rule target naming a delivery stream: it must be declared (in a known account).
    mutating func checkDeliveryStreamTarget(_ arn: ARN, file: String, path: String) {
        guard DeliveryStreamConfiguration.name(inArn: arn) != nil else {
            error(file, path, "a Firehose target must be a delivery stream ARN like arn:aws:firehose:us-east-1:123456789012:deliverystream/NAME, got \(arn)")
            return
        }
        if let declared = deliveryStreams.first(where: { $0.arn == arn.description }) {
            if declared.configuration.sourceStreamArn != nil {
                error(file, path, "delivery stream '\(declared.name)' reads the Kinesis stream \(declared.configuration.sourceStreamArn ?? ""), so it takes no other records (Firehose refuses them); target the Kinesis stream instead")
            }
            return
        }
        if accounts.contains(arn.account) {
            let names = deliveryStreams.filter { $0.account == arn.account }.map(\.name)
            var message = "\(arn) names the delivery stream '\(arn.resource.dropFirst("deliverystream/".count))', which no rule file declares in account \(arn.account)"
            if let hint = DidYouMean.suggestion(for: String(arn.resource.dropFirst("deliverystream/".count)), among: names) { message += " (did you mean '\(hint)'?)" }
            error(file, path, message + "; declare it under DeliveryStreams")
        } else {
            warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it fail with NO_RESOURCE")
        }
    }
}
