import EventRouter

/// A `FunctionName` as Lambda accepts it — `NAME`, `NAME:QUALIFIER`, a full ARN
/// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]` or a partial ARN
/// `ACCOUNT:function:NAME[:QUALIFIER]` — resolved against the hosted functions. Only the
/// qualifier must be `$LATEST`, an alias of the manifest or a version one names (one folder answers all).
struct LambdaFunctionName: Equatable {
    /// The function name.
    var name: String
    /// The account: from the ARN, else the caller's.
    var account: String
    /// The region: from the ARN, else the caller's.
    var region: String
    /// The qualifier given in the name, if any.
    var qualifier: String?

    /// The unqualified ARN.
    var arn: String { FunctionManifest.arn(region: region, account: account, name: name) }

    /// Parses `text` for `caller`.
    /// - Throws: ``AWSError`` `ValidationException` for a malformed name.
    init(_ text: String, caller: Caller) throws(AWSError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        account = caller.account
        region = caller.region
        let n = parts.count
        if (n == 1 || n == 2) && parts[0] != "arn" {
            name = parts[0]
            qualifier = n == 2 ? parts[1] : nil
        } else if (n == 3 || n == 4) && parts[1] == "function" {
            account = parts[0]
            name = parts[2]
            qualifier = n == 4 ? parts[3] : nil
        } else if (n == 7 || n == 8) && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" {
            region = parts[3]
            account = parts[4]
            name = parts[6]
            qualifier = n == 8 ? parts[7] : nil
        } else {
            throw Self.invalid(text)
        }
        guard FunctionManifest.isValidName(name), account.utf8.count == 12, account.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              !region.isEmpty else { throw Self.invalid(text) }
        if let qualifier { try Self.checkQualifier(qualifier) }
    }

    /// A qualifier must be 1–128 of `[A-Za-z0-9$_-]`.
    static func checkQualifier(_ qualifier: String) throws(AWSError) {
        let ok = (1...128).contains(qualifier.utf8.count) && qualifier.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x24 || c == 0x5F || c == 0x2D
        }
        guard ok else {
            throw AWSError(code: "ValidationException",
                           message: "1 validation error detected: Value '\(qualifier)' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+) (1 to 128 characters)")
        }
    }

    private static func invalid(_ text: String) -> AWSError {
        AWSError(code: "ValidationException",
                 message: "1 validation error detected: Value '\(text)' at 'functionName' failed to satisfy constraint: Member must be a function name (1–64 letters, digits, '-' or '_'), NAME:QUALIFIER, a function ARN arn:aws:lambda:REGION:ACCOUNT:function:NAME or a partial ARN ACCOUNT:function:NAME")
    }

    /// The hosted runtime this names, with the qualifier of the name or of `?Qualifier=`.
    /// - Throws: ``AWSError``: `InvalidParameterValueException` when the two qualifiers differ,
    ///   `ResourceNotFoundException` (404) for an unknown function or a qualifier that is not `$LATEST`, an alias of its manifest or a version one names.
    func resolve(in host: FunctionHost, qualifier queryQualifier: String?) throws(AWSError) -> FunctionRuntime {
        if let queryQualifier {
            try Self.checkQualifier(queryQualifier)
            if let qualifier, qualifier != queryQualifier {
                throw AWSError(code: "InvalidParameterValueException",
                               message: "The derived qualifier from the function name does not match the specified qualifier ('\(qualifier)' in the name, '\(queryQualifier)' in Qualifier).")
            }
        }
        let arn = self.arn
        guard let runtime = host.runtimes[arn] else {
            let known = host.sortedRuntimes.map(\.arn)
            throw AWSError(code: "ResourceNotFoundException",
                           message: "Function not found: \(arn). Functions are folders under Functions/ (Functions/\(name)/function.json); "
                               + (known.isEmpty ? "this workspace has none" : "known: " + known.joined(separator: ", ")),
                           status: 404)
        }
        if let q = queryQualifier ?? qualifier, runtime.manifest.executedVersion(for: q) == nil {
            throw AWSError(code: "ResourceNotFoundException",
                           message: "Function not found: \(arn):\(q). The function's aliases are \(runtime.manifest.aliasList); declare "
                               + "\"Aliases\": {\"\(q)\": \"$LATEST\"} in Functions/\(name)/function.json, or use $LATEST",
                           status: 404)
        }
        return runtime
    }
}
