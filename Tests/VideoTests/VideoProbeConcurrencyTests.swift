import Dispatch
import Foundation
import Testing
import TestSupport
import Video

/// Probing from several threads at once gives exactly what probing one at a time gives.
@Suite struct VideoProbeConcurrencyTests {
    typealias Outcome = Result<VideoInfo, VideoError>

    static func outcome(_ path: String) -> Outcome {
        do { return .success(try VideoProbe.probe(path: path)) } catch { return .failure(error) }
    }

    @Test func threadsAgreeWithOneAtATime() throws {
        let folder = try TemporaryFolder("video-threads")
        let paths = try VideoFixtures.makeAll(in: folder.url).values.map(\.path).sorted()
        let expected = paths.map(Self.outcome)
        let threads = 4, rounds = 5
        let results = Locked([[Outcome]](repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            // Each thread starts at a different file so different files are open at the same moment.
            var mine: [Outcome] = []
            for round in 0..<rounds {
                for step in paths.indices { mine.append(Self.outcome(paths[(step + thread + round) % paths.count])) }
            }
            results.update { $0[thread] = mine }
        }
        for (thread, outcomes) in results.value.enumerated() {
            for (n, outcome) in outcomes.enumerated() {
                let index = (n % paths.count + thread + n / paths.count) % paths.count
                #expect(outcome == expected[index], "thread \(thread) \(paths[index])")
            }
        }
    }
}
