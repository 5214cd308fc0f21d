import BiomechCore
import Foundation
import Pose
import Testing
import TestSupport

/// Missing MediaPipe files give one clear error naming the file and `make setup`, with exit code 2.
@Suite struct MediaPipeSetupTests {
    @Test func missingLibraryNamesTheFix() throws {
        let folder = try TemporaryFolder("pose-missing")
        let files = MediaPipeFiles(folder: folder.url)
        let error = try #require(throws: MediaPipeError.self) { try MediaPipePose(files: files, mode: .image) }
        #expect(error.exitCode == ExitStatus.usage)
        #expect(error.description.hasPrefix(files.library.path + ": libmediapipe.so not found"))
        #expect(error.description.contains("run `make setup`"))
    }

    @Test func missingBundleNamesTheFix() throws {
        let folder = try TemporaryFolder("pose-missing-bundle")
        let files = MediaPipeFiles(library: DemoVideo.files.library, bundle: folder.url.appendingPathComponent("none.task"))
        let error = try #require(throws: MediaPipeError.self) { try MediaPipePose(files: files, mode: .video) }
        #expect(error.exitCode == ExitStatus.usage)
        #expect(error.description.hasPrefix(files.bundle.path + ": pose bundle not found"))
    }

    @Test func notALibraryIsASetupError() throws {
        let folder = try TemporaryFolder("pose-bad-library")
        let library = folder.url.appendingPathComponent("libmediapipe.so")
        try Data("not an ELF file".utf8).write(to: library)
        let files = MediaPipeFiles(library: library, bundle: DemoVideo.files.bundle)
        let error = try #require(throws: MediaPipeError.self) { try MediaPipePose(files: files, mode: .image) }
        #expect(error.exitCode == ExitStatus.usage)
        #expect(error.description.contains("cannot load it"))
    }

    @Test func videoModeRefusesTimestampsThatDoNotIncrease() throws {
        let estimator = try MediaPipePose(files: DemoVideo.files, mode: .video)
        let frame = RGBFrame(width: 64, height: 48, pixels: [UInt8](repeating: 128, count: 64 * 48 * 3))
        #expect(try estimator.detect(frame, timestampMilliseconds: 100) == nil)
        let error = try #require(throws: MediaPipeError.self) { try estimator.detect(frame, timestampMilliseconds: 100) }
        #expect(error.description.contains("increasing timestamps"))
    }
}
