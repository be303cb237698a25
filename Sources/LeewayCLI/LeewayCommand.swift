import ArgumentParser
import Foundation

/// The `leeway` command: one binary, one subcommand per job.
@main
struct LeewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leeway",
        abstract: "Soft-liquidation margin and risk engine.",
        subcommands: [
            ReplayCommand.self,
            LiquidationPriceCommand.self,
            BenchCommand.self,
            BacktestCommand.self,
            TuneCommand.self,
            StressCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            LoadCommand.self,
            DemoCommand.self,
            VerifyCommand.self,
            ExportCommand.self,
            BandsCommand.self,
        ]
    )

    /// Runs the command; a usage or validation error exits with code 2 and a clear message (for a
    /// mistyped option: its name and the closest valid one, `UnknownOptionHint`).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let arguments = Array(CommandLine.arguments.dropFirst())
            if code == .validationFailure,
               let hint = UnknownOptionHint(arguments: arguments, dumpHelp: _dumpHelp())?.message(for: arguments) {
                FileHandle.standardError.write(Data(("error: " + hint + "\n").utf8))
                Foundation.exit(2)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Prints `message` to standard error and stops with exit code 2 (bad arguments or input file).
func usageFailure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode(2)
}
