import ArgumentParser
import BiomechCore
import Foundation

/// The entry point every biomech command uses, so all of them share one exit-code contract.
///
/// swift-argument-parser exits with 64 (EX_USAGE) for bad options; biomech's contract is
/// 0 success, 1 the work failed, 2 bad usage or configuration. A `BiomechError` that reaches the
/// top exits with its own code.
public enum CommandMain {
    /// Parses `arguments` (default: the command line's) as `type`, runs it and exits.
    public static func run<Command: ParsableCommand>(_ type: Command.Type, arguments: [String]? = nil) -> Never {
        do {
            var command = try type.parseAsRoot(arguments)
            try command.run()
            exit(ExitStatus.success)
        } catch let error as BiomechError {
            FileHandle.standardError.write(Data("\(type._commandName): error: \(error)\n".utf8))
            exit(error.exitCode)
        } catch {
            let code = type.exitCode(for: error)
            if code == .success || code == .validationFailure {
                let message = type.fullMessage(for: error)
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                if !message.isEmpty { stream.write(Data((message + "\n").utf8)) }
                exit(code == .success ? ExitStatus.success : ExitStatus.usage)
            }
            type.exit(withError: error)
        }
    }
}
