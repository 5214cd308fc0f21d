import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts the process again with environment variables that must be set before libraries load.
///
/// Some settings are read by a library's constructor, before `main`: OpenBLAS picks its kernels
/// (`OPENBLAS_CORETYPE`) and starts its thread pool (unless `OPENBLAS_NUM_THREADS` is 1) at load
/// time, and a process with several threads can no longer move into its own network namespace
/// (docs/EXTRACT.md, "Telemetry").
public enum Reexec {
    /// When any of `variables` is unset, sets the missing ones and replaces this process with a
    /// fresh run of the same executable and arguments; returns when nothing was missing (or the
    /// exec failed, in which case the process goes on as it is).
    public static func ensure(_ variables: [String: String]) {
        let missing = variables.filter { getenv($0.key) == nil }
        guard !missing.isEmpty else { return }
        replace(setting: missing)
    }

    /// Sets `setting` in the environment and replaces this process with a fresh run of the same
    /// executable and arguments; returns only when the exec failed.
    public static func replace(setting: [String: String]) {
        for (name, value) in setting { setenv(name, value, 1) }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        for pointer in arguments { free(pointer) }
    }
}
