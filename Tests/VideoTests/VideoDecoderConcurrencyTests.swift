import Dispatch
import Foundation
import Testing
import TestSupport
import Video

/// Several decoders running at once (one per thread, as extraction workers run) give what one alone gives.
@Suite struct VideoDecoderConcurrencyTests {
    typealias Outcome = Result<[DecodedFrame], VideoError>

    static func outcome(_ path: String) -> Outcome {
        Result { () throws(VideoError) -> [DecodedFrame] in
            let decoder = try VideoDecoder(path: path, settings: DecodeSettings(fps: 10))
            var frames: [DecodedFrame] = []
            while let frame = try decoder.next() { frames.append(frame) }
            return frames
        }
    }

    @Test func threadsAgreeWithOneAtATime() throws {
        let folder = try TemporaryFolder("video-decode-threads")
        let paths = try VideoFixtures.makeAll(in: folder.url).values.map(\.path).sorted()
        let expected = paths.map(Self.outcome)
        #expect(expected.contains { (try? $0.get())?.isEmpty == false })
        let threads = 4
        let results = Locked([[Outcome]](repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            // Each thread starts at a different file so different files are decoded at the same moment.
            let mine = paths.indices.map { Self.outcome(paths[($0 + thread) % paths.count]) }
            results.update { $0[thread] = mine }
        }
        for (thread, outcomes) in results.value.enumerated() {
            for (step, outcome) in outcomes.enumerated() {
                let index = (step + thread) % paths.count
                #expect(outcome == expected[index], "thread \(thread) \(paths[index])")
            }
        }
    }
}
