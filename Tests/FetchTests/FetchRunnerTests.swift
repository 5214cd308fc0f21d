import BiomechCore
import Fetch
import Foundation
import Testing
import TestSupport

/// `FetchRunner` in process: every message goes to the logger the caller hands in.
@Suite struct FetchRunnerTests {
    @Test func manualInstructionsGoToTheCallersLogger() throws {
        let work = try TemporaryFolder()
        try ManifestFixture.write(in: work, name: "handmade", access: "manual", body: """
        manual:
          form: https://forms.example.org/ask
          instructions: |
            Ask the authors, then place the zip.
          expect:
            - path: videos/clips.zip
        """)
        let log = CapturedLog()
        for dryRun in [true, false] {
            var options = FetchOptions(out: work("out"))
            options.dryRun = dryRun
            let outcomes = try FetchRunner(options: options, logger: log.logger(), console: Console(isTerminal: false))
                .run(manifests: work("manifests"), only: [])
            #expect(outcomes.map(\.state) == [.waiting])
        }
        let instructions = log.messages.filter { $0.contains("needs files placed by hand") }
        #expect(instructions.count == 2, "\(log.messages)")
        #expect(instructions.allSatisfy { $0.contains("Ask the authors") && $0.contains("MISSING") })
    }
}
