import ArgumentParser
import BiomechCLI
import BiomechCore
import Model

/// `biomech-bench`: each stage measured side by side with the tool a user would otherwise run.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-bench",
        abstract: "Benchmarks biomech's stages against the tools users would otherwise use.",
        discussion: "Prints throughput ratios (biomech / reference; above 1 means biomech is faster). Not a test: no thresholds.",
        subcommands: [FetchBench.self, SynthBench.self, CatalogBench.self, ShardsBench.self, AnalyzeBench.self, RulesBench.self])

    static func main() {
        // The analyze benchmark runs the model: its kernels are chosen and checked first (docs/MODEL.md).
        if CommandLine.arguments.dropFirst().first == AnalyzeBench.configuration.commandName { BLASKernel.startup(tool: "biomech-bench analyze") }
        CommandMain.run(Self.self)
    }
}
