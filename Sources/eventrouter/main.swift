#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventRouter
import EventRouterHTTP

/// Every subcommand; `eventrouter --help` lists them in this order.
enum CommandTable {
    static let all: [any Command.Type] = [
        TestEventPatternCommand.self,
        QueueCommand.self,
        FunctionsCommand.self,
        InvokeCommand.self,
        StreamCommand.self,
        ValidateCommand.self,
        ReplayCommand.self,
        TestCommand.self,
        GraphCommand.self,
        TopicCommand.self,
        PermissionCommand.self,
        MatchCommand.self,
        RunCommand.self,
        ImportCommand.self,
        ExportCommand.self,
        LogsCommand.self,
    ]
}

func printUsage() {
    var text = "eventrouter — a local, EventBridge-compatible event router\n\nUsage: eventrouter COMMAND [OPTIONS]\n\nCommands:\n"
    for c in CommandTable.all { text += "  " + c.name.padding(20) + c.summary + "\n" }
    text += "\nRun 'eventrouter COMMAND --help' for a command's options.\n"
    Output.out(text)
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

/// Parses the command line, runs one command and exits with its status.
func runMain() async -> Int32 {
    let raw = Array(CommandLine.arguments.dropFirst())
    guard let name = raw.first, name != "--help", name != "-h", name != "help" else {
        printUsage()
        return raw.isEmpty ? 2 : 0
    }
    guard let command = CommandTable.all.first(where: { $0.name == name }) else {
        Output.err("eventrouter: unknown command '\(name)'. Run 'eventrouter --help' for the list.\n")
        return 2
    }
    var arguments = Arguments(Array(raw.dropFirst()), flags: command.flags)
    if arguments.flag("help") || arguments.flag("h") {
        Output.out(command.help.hasSuffix("\n") ? command.help : command.help + "\n")
        return 0
    }
    // Handler processes never outlive the tool: unless the command shuts down gracefully by
    // itself, SIGINT/SIGTERM/SIGHUP kill their process groups and exit.
    // (``StopSignals``: a sigaction handler and a pipe, so no signal is lost whichever thread gets it.)
    if !command.handlesSignals {
        do {
            try StopSignals.install(signals: [SIGINT, SIGTERM, SIGHUP]) { ProcessGroupRegistry.shared.terminate(signal: $0) }
        } catch {
            Output.err("eventrouter \(command.name): \(error)\n")
            return 1
        }
    }
    do {
        return try await command.run(&arguments)
    } catch let error as UsageError {
        Output.err("eventrouter \(command.name): \(error)\n\n\(command.help)\n")
        return 2
    } catch {
        Output.err("eventrouter \(command.name): \(error)\n")
        return 1
    }
}

// A command that finishes because a terminating signal killed its handlers exits as signalled.
// No top-level `await` and no `dispatchMain()` (as in eventrouter-bench): valgrind crashes on a main
// thread that exits through `dispatchMain`, and callgrind on `eventrouter run` is how the server's
// CPU per request is compared on a busy machine. The main thread sleeps while the command runs on
// the cooperative pool (nothing uses the main queue) and the command exits the process.
Task.detached { exit(ProcessGroupRegistry.shared.exitStatus(await runMain())) }
while true { sleep(3600) }
