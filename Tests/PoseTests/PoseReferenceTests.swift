import Foundation
import Pose
import Testing
import TestSupport

/// The Swift MediaPipe in image mode gives what the Python MediaPipe gives on 20 frames of the video,
/// with the same bundle.
///
/// Against 0.10.35's own ctypes wrappers (the same libmediapipe.so) the numbers are equal: this is
/// the test that Sources/CMediaPipe's hand-written header matches the library, since a wrong struct
/// layout reads other numbers. Against 0.10.14 (another TFLite build) they agree to about 1e-3.
@Suite struct PoseReferenceTests {
    static let frameIndices = Array(stride(from: 3, through: 212, by: 11))

    /// Which Python, and how far each kind of number may be from it.
    struct Reference: Sendable, CustomTestStringConvertible {
        var venv: String
        var imageXY: Float
        var rest: Float
        var testDescription: String { venv }
    }

    static let references = [
        Reference(venv: "venv35", imageXY: 1e-6, rest: 1e-6),
        // Measured on these frames: bit-identical to venv35; to venv, image x, y 2.1e-4, visibility and world x 1.24e-3.
        Reference(venv: "venv", imageXY: 1e-3, rest: 2e-3),
    ]

    @Test(arguments: references) func imageModeMatchesPythonMediaPipe(_ reference: Reference) throws {
        let folder = try TemporaryFolder("pose-reference")
        let rgb = folder.url.appendingPathComponent("frames.rgb")
        try DemoVideo.writeFrames(Self.frameIndices, to: rgb)
        let frames = try DemoVideo.readFrames(rgb)
        try #require(frames.count == Self.frameIndices.count)

        let estimator = try MediaPipePose(files: DemoVideo.files, mode: .image)
        let swift = try frames.enumerated().map { i, frame in
            try estimator.detect(frame, timestampMilliseconds: DemoVideo.timestamp(Self.frameIndices[i]))
        }
        let python = try Self.poses(reference.venv, rgb)
        try #require(python.count == frames.count, "Python gave \(python.count) poses for \(frames.count) frames")

        // Image mode has no tracking: frames with the man small or half hidden get no pose, in both.
        #expect(swift.compactMap { $0 }.count >= 10, "poses on \(swift.compactMap { $0 }.count) of 20 frames")
        var largestXY: Float = 0, largestRest: Float = 0
        for (i, (mine, theirs)) in zip(swift, python).enumerated() {
            let frame = Self.frameIndices[i]
            #expect((mine == nil) == (theirs == nil), "frame \(frame): Swift \(mine == nil ? "no pose" : "a pose"), Python \(theirs == nil ? "no pose" : "a pose")")
            guard let mine, let theirs else { continue }
            let xy = zip(mine.image, theirs.image).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max()!
            let rest = (zip(mine.image, theirs.image).map { max(abs($0.z - $1.z), abs($0.visibility - $1.visibility)) }
                + zip(mine.world, theirs.world).map { max(abs($0.x - $1.x), abs($0.y - $1.y), abs($0.z - $1.z)) }).max()!
            largestXY = max(largestXY, xy)
            largestRest = max(largestRest, rest)
            #expect(xy <= reference.imageXY, "frame \(frame): image x, y differ from Python by \(xy)")
            #expect(rest <= reference.rest, "frame \(frame): z, visibility or world differ from Python by \(rest)")
        }
        print("PoseReferenceTests \(reference.venv): largest difference image x, y \(largestXY); z, visibility, world \(largestRest)")
    }

    /// The poses tools/pose_reference.py prints with `.mediapipe/<venv>`'s Python for the frames in `rgb`.
    static func poses(_ venv: String, _ rgb: URL) throws -> [BodyPose?] {
        let python = DemoVideo.folder.appendingPathComponent("\(venv)/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw FixtureError("\(python.path) not found: run `make setup` (it makes the reference venvs)")
        }
        let script = DemoVideo.root.appendingPathComponent("tools/pose_reference.py").path
        let result = try Tools.run(python.path, [script, DemoVideo.files.bundle.path, "\(DemoVideo.width)", "\(DemoVideo.height)", rgb.path])
        guard result.status == 0 else { throw FixtureError("\(script) with \(python.path) failed: \(result.stderr)") }
        guard let poses = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any] else {
            throw FixtureError("\(script) printed no JSON array")
        }
        return try poses.map { entry in
            guard let pose = entry as? [String: [[Double]]] else { return nil }
            guard let image = pose["image"], let world = pose["world"] else { throw FixtureError("\(script): a pose without image or world") }
            return BodyPose(image: image.map { ImageLandmark(x: Float($0[0]), y: Float($0[1]), z: Float($0[2]), visibility: Float($0[3])) },
                            world: world.map { WorldLandmark(x: Float($0[0]), y: Float($0[1]), z: Float($0[2])) })
        }
    }
}
