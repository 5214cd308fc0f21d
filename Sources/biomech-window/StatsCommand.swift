import ArgumentParser
import Foundation
import Windowing

/// `biomech-window stats`: what a shard folder holds, from its index files.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomech-window stats", abstract: "Counts per split, class and quality, label sources, and dropped windows of a shard folder.")

    @Argument(help: "The shard folder (holding train/, val/, test/).")
    var folder: String

    func run() throws {
        print(try ShardStats.read(URL(fileURLWithPath: folder)).text)
    }
}
