#if canImport(Glibc)
import Glibc
#endif
import Testing
import EventRouterTesting

/// Runs the client suite (Tests/ClientSuite): real boto3 and AWS CLI clients, pinned and installed
/// into .build/client-venv, against the built `eventrouter run`. It fails, never skips, when
/// the clients cannot be installed.
@Suite struct ClientSuiteTests {
    @Test func theBoto3AndAWSCLISuitePasses() async throws {
        let binary = BuiltExecutable.path("eventrouter")
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let script = RunCommandEndToEndTests.repository + "/Tests/ClientSuite/run_suite.py"
        let process = try #require(await offPool { SpawnedProcess("/usr/bin/env", ["python3", script, "--binary", binary]) })
        let errors = await offPool { process.readAllErrors() }
        let status = await offPool { process.waitForExit() }
        #expect(status == 0, "the client suite failed (python3 Tests/ClientSuite/run_suite.py --binary \(binary)):\n\(errors.suffix(12_000))")
    }
}
