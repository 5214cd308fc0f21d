import ArgumentParser
import Foundation
import Windowing

/// `biomech-window stats`: what a shard folder holds, from its index files.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-window stats", abstract: "Counts per split, class and quality, label sources, and dropped windows of a shard folder (checked with ShardReader).")

    @Argument(help: "The shard folder (holding train/, val/, test/).")
    var folder: String
    @Flag(help: "Also check every file's SHA-256 against its index.json.")
    var verify = false

    func run() throws {
        let stats = try ShardStats.read(URL(fileURLWithPath: folder), verify: verify)
        print(stats.text)
        if verify { print("verified: every file matches the SHA-256 in its split's index.json") }
    }
}
