import Testing
import EventRouterTesting

let centralBus = "arn:aws:events:us-east-1:123456789012:event-bus/central"

/// A statement as JSON text, with `Resource` the central bus unless replaced.
func policyText(_ statements: String...) -> String {
    "{\"Version\":\"2012-10-17\",\"Statement\":[\(statements.joined(separator: ","))]}"
}

@Suite struct BusPolicyParseTests {
    @Test func readsAPutPermissionPolicy() throws {
        let text = policyText("""
            {"Sid":"sales","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"events:PutEvents",
             "Resource":"\(centralBus)"}
            """, """
            {"Sid":"org","Effect":"Allow","Principal":"*","Action":["events:PutEvents"],"Resource":["\(centralBus)"],
             "Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5","o-f6g7h8i9j0"]}}}
            """, """
            {"Sid":"no-eve","Effect":"Deny","Principal":{"AWS":["444455556666","*"]},"Action":"events:*","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/*"}
            """)
        let (policy, problems) = BusPolicy.parse(text: text, busArn: centralBus)
        #expect(problems.isEmpty)
        let p = try #require(policy)
        #expect(p.version == "2012-10-17")
        #expect(p.statements.map(\.sid) == ["sales", "org", "no-eve"])
        #expect(p.statements[0].principals == [.account("111122223333")])
        #expect(p.statements[1].principals == [.anyone])
        #expect(p.statements[1].conditions == [.init(key: .principalOrgID, values: ["o-a1b2c3d4e5", "o-f6g7h8i9j0"])])
        #expect(p.statements[2].effect == .deny)
        #expect(p.statements[2].principals == [.account("444455556666"), .anyone])
        #expect(p.statements[2].coversPutEvents)
    }

    @Test func acceptsAPolicyObjectAndASingleStatementObject() throws {
        let value: JSONValue = ["Statement": ["Effect": "Allow", "Principal": ["AWS": "111122223333"], "Action": "events:PutEvents", "Resource": .string(centralBus)]]
        let (policy, problems) = BusPolicy.parse(value, busArn: centralBus)
        #expect(problems.isEmpty)
        #expect(try #require(policy).statements.count == 1)
    }

    static let statementProblems: [(String, String, String)] = [
        (#"{"Effect":"Permit","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Effect", #"Effect must be "Allow" or "Deny", not "Permit""#),
        (#"{"Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0]", #"missing required key 'Effect' ("Allow" or "Deny")"#),
        (#"{"Effect":"Allow","Principal":{"AWS":"1234"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Principal.AWS", #"an AWS principal must be "*", a 12-digit account id or arn:aws:iam::ACCOUNT:root, not '1234'"#),
        (#"{"Effect":"Allow","Principal":{"AWS":["111122223333",5]},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Principal.AWS[1]", "each AWS principal must be a string, not number"),
        (#"{"Effect":"Allow","Principal":{"User":"x"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Principal.User", #"unknown principal type 'User'; use "AWS" (an account id or arn:aws:iam::ACCOUNT:root)"#),
        (#"{"Effect":"Allow","Principal":"111122223333","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Principal", #"Principal must be "*" or an object like {"AWS": "111122223333"}, not "111122223333""#),
        (#"{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Action", #"Action must be an EventBridge action such as "events:PutEvents" or "events:*", not 'sqs:SendMessage'"#),
        (#"{"Effect":"Allow","Principal":"*","Action":[],"Resource":"\#(centralBus)"}"#,
         "$.Statement[0].Action", "Action must not be an empty list"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents"}"#,
         "$.Statement[0]", "missing required key 'Resource' (the bus ARN, \(centralBus))"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:123456789012:event-bus/other"}"#,
         "$.Statement[0].Resource", "Resource arn:aws:events:us-east-1:123456789012:event-bus/other does not name this bus; write \(centralBus) (or arn:aws:events:us-east-1:123456789012:rule/central/* for its rules)"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"central"}"#,
         "$.Statement[0].Resource", "Resource must be an event bus ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, not 'central'"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4"}}}"#,
         "$.Statement[0].Condition.IpAddress", "condition operator 'IpAddress' is not supported; EventRouter evaluates StringEquals, StringNotEquals, StringLike, StringNotLike (each also with ForAllValues:/ForAnyValue: and IfExists) and Null"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Condition":{"StringEquals":{"aws:SourceIp":"1.2.3.4"}}}"#,
         "$.Statement[0].Condition.StringEquals.aws:SourceIp", "condition key 'aws:SourceIp' is not supported; use one of aws:PrincipalOrgID, aws:PrincipalAccount, events:creatorAccount, events:source, events:detail-type"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5","acme"]}}}"#,
         "$.Statement[0].Condition.StringEquals.aws:PrincipalOrgID[1]", "aws:PrincipalOrgID must be an organization id like o-a1b2c3d4e5, not 'acme'"),
        (#"{"Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)","Conditions":{}}"#,
         "$.Statement[0].Conditions", "unknown key 'Conditions' in a policy statement (did you mean 'Condition'?); allowed: Sid, Effect, Principal, Action, Resource, Condition"),
        (#"{"Effect":"Allow","NotPrincipal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#,
         "$.Statement[0].NotPrincipal", "'NotPrincipal' is not supported in bus policies here; write the statement with 'Principal'; allowed: Sid, Effect, Principal, Action, Resource, Condition"),
    ]

    @Test(arguments: statementProblems)
    func reportsStatementProblems(statement: String, path: String, message: String) {
        let (policy, problems) = BusPolicy.parse(text: policyText(statement), busArn: centralBus)
        #expect(policy == nil)
        #expect(problems.contains(ValidationProblem(path: path, message)), "\(problems)")
    }

    @Test(arguments: [
        ("[]", "$", "a policy must be a JSON object with 'Version' and 'Statement', not array"),
        (#"{"Version":"2012-10-17"}"#, "$", "missing required key 'Statement' (a statement object or a list of them)"),
        (#"{"Version":"2020-01-01","Statement":[]}"#, "$.Version", #"Version must be "2012-10-17" (or "2008-10-17"), not "2020-01-01""#),
        (#"{"Statement":[]}"#, "$.Statement", "Statement must hold at least one statement"),
        (#"{"Statement":"allow"}"#, "$.Statement", "Statement must be an object or a list of objects, not string"),
        (#"{"Statement":[], "Statements":[]}"#, "$.Statements", "unknown key 'Statements' in a policy (did you mean 'Statement'?); allowed: Version, Id, Statement"),
    ])
    func reportsPolicyProblems(text: String, path: String, message: String) {
        let (policy, problems) = BusPolicy.parse(text: text, busArn: centralBus)
        #expect(policy == nil)
        #expect(problems.contains(ValidationProblem(path: path, message)), "\(problems)")
    }

    @Test func reportsInvalidJSONAndDuplicateSids() {
        let (_, broken) = BusPolicy.parse(text: "{\"Statement\": [", busArn: centralBus)
        #expect(broken.count == 1 && broken[0].path == "$" && broken[0].message.hasPrefix("the policy string is not valid JSON: "))
        let s = #"{"Sid":"a","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"\#(centralBus)"}"#
        let (policy, problems) = BusPolicy.parse(text: policyText(s, s), busArn: centralBus)
        #expect(policy == nil)
        #expect(problems == [ValidationProblem(path: "$.Statement[1].Sid", "duplicate Sid 'a' (first used at $.Statement[0]); statement ids must be unique")])
    }

    @Test func reportsEveryProblemAtOnce() {
        let (_, problems) = BusPolicy.parse(text: policyText(
            #"{"Effect":"Maybe","Principal":{"AWS":"x"},"Action":"sqs:*","Resource":"y"}"#), busArn: centralBus)
        #expect(problems.map(\.path) == ["$.Statement[0].Effect", "$.Statement[0].Principal.AWS", "$.Statement[0].Action", "$.Statement[0].Resource"])
    }

    @Test func warnsAboutStatementsWithoutEffectHere() throws {
        let (policy, problems) = BusPolicy.parse(text: policyText(
            #"{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"events:CreateArchive","Resource":"\#(centralBus)"}"#), busArn: centralBus)
        #expect(policy != nil)
        #expect(problems.map(\.severity) == [.warning, .warning])
        #expect(problems.map(\.path) == ["$.Statement[0].Principal.Service", "$.Statement[0].Action"])
    }

    @Test func limitsThePolicyTo10240Characters() {
        let statements = (0..<60).map { i in
            #"{"Sid":"s\#(i)","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1111222233\#(String(format2: i)):root"},"Action":"events:PutEvents","Resource":"\#(centralBus)"}"#
        }
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[\(statements.joined(separator: ","))]}"
        #expect(text.count > 10_240)
        let (policy, problems) = BusPolicy.parse(text: text, busArn: centralBus)
        #expect(policy == nil)
        #expect(problems == [ValidationProblem(path: "$", "the policy is \(text.count) characters; EventBridge allows at most 10240 — split it or use fewer statements")])
        let (fits, _) = BusPolicy.parse(text: "{\"Version\":\"2012-10-17\",\"Statement\":[\(statements.prefix(40).joined(separator: ","))]}", busArn: centralBus)
        #expect(fits != nil)
    }
}

extension String {
    /// Two digits, zero-padded.
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}
