import ArgumentParser
import BiomechCLI
import BiomechCore
import Foundation
import Model

/// `biomech-train kernels`: the CPU's instruction sets, the OpenBLAS kernels chosen and the self-check.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Show the OpenBLAS kernels in use, who chose them, the self-check, and which cores this CPU runs.",
        discussion: "The rules are in docs/MODEL.md, \"Kernel selection\". --runnable prints only the names of the cores this CPU runs.")

    @Flag(help: "Print the cores this CPU runs, one per line, fastest tier first (for scripts such as make test-kernels).")
    var runnable = false
    @Flag(help: "Print the report as JSON (as in a run's config.json).")
    var json = false
    @OptionGroup var blas: BLASOptions

    func run() throws {
        let features = CPUFeatures.current
        let cores = BLASCore.all.filter { $0.runs(on: features) }.sorted { $0.tier > $1.tier }
        if runnable {
            for core in cores { print(core.name) }
            return
        }
        let report = try BLASKernel.report()
        if json {
            print(String(decoding: try JSONOutput.encoder(pretty: true).encode(report), as: UTF8.self))
            return
        }
        print("CPU: \(report.cpu.isEmpty ? "unknown" : report.cpu)")
        print("instruction sets: \(report.features.isEmpty ? "none known (not x86-64?)" : report.features)")
        print(report.line)
        for note in report.notes { print("note: \(note)") }
        print("best core for this CPU: \(BLASCore.best(for: features)?.name ?? "none of the ladder")")
        print("cores this CPU runs: \(cores.map(\.name).joined(separator: ", "))")
    }
}
