import Foundation
import Pose
import Testing

/// MediaPipe in video mode on every frame of the Sports2D jumping-jack video.
@Suite struct PoseVideoTests {
    /// The poses of all 230 frames, computed once for the tests of this suite.
    static let poses: Result<[BodyPose?], PoseRunError> = {
        do {
            let estimator = try MediaPipePose(files: DemoVideo.files, mode: .video)
            var poses: [BodyPose?] = []
            try DemoVideo.forEachFrame { index, frame in
                poses.append(try estimator.detect(frame, timestampMilliseconds: DemoVideo.timestamp(index)))
            }
            return .success(poses)
        } catch {
            return .failure(PoseRunError(description: "\(error)"))
        }
    }()

    @Test func findsAPoseOnNinetyPercentOfFrames() throws {
        let poses = try Self.poses.get()
        #expect(poses.count == DemoVideo.frameCount)
        let found = poses.compactMap { $0 }
        #expect(found.count * 10 >= poses.count * 9, "pose on \(found.count) of \(poses.count) frames")
        #expect(found.allSatisfy { $0.image.count == 33 && $0.world.count == 33 })
    }

    /// The median length of each bone over the frames is a human one, and most frames are close to it.
    @Test func worldBoneLengthsAreHuman() throws {
        let bones: [(BodyPose.Joint, BodyPose.Joint, ClosedRange<Float>)] = [
            (.leftShoulder, .leftElbow, 0.2...0.45), (.rightShoulder, .rightElbow, 0.2...0.45),
            (.leftElbow, .leftWrist, 0.15...0.4), (.rightElbow, .rightWrist, 0.15...0.4),
            (.leftHip, .leftKnee, 0.3...0.6), (.rightHip, .rightKnee, 0.3...0.6),
            (.leftKnee, .leftAnkle, 0.3...0.6), (.rightKnee, .rightAnkle, 0.3...0.6),
        ]
        let poses = try Self.poses.get().compactMap { $0 }
        for (from, to, range) in bones {
            let lengths = poses.map { pose in
                let a = pose.world(from), b = pose.world(to)
                return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z)).squareRoot()
            }.sorted()
            let median = lengths[lengths.count / 2]
            #expect(range.contains(median), "\(from)-\(to): median \(median) m")
            // Single frames in a jump or behind the passer-by are off; nine in ten are near the range.
            let low = lengths[lengths.count / 10], high = lengths[lengths.count * 9 / 10]
            #expect(low >= range.lowerBound * 0.75 && high <= range.upperBound * 1.25,
                    "\(from)-\(to): 10th to 90th percentile \(low) to \(high) m")
        }
    }

    /// A jumping jack's top is where the feet are farthest apart; the hands are above the head there.
    /// The man does two jumping jacks on the box in frames 0-109 (then stands, a passer-by walks in
    /// front of the box, and he jumps down), so only those frames are looked at.
    @Test func wristsAreAboveTheHeadAtTheTopOfEachJumpingJack() throws {
        let poses = Array(try Self.poses.get()[0..<110])
        let spread = poses.map { pose in pose.map { abs($0.image(.leftAnkle).x - $0.image(.rightAnkle).x) } }
        let widest = spread.compactMap { $0 }.max() ?? 0
        // Tops: the widest frame of each run of frames with the feet over half their widest apart.
        var tops: [Int] = []
        var run: [Int] = []
        for i in spread.indices + [spread.count] {
            if i < spread.count, let s = spread[i], s > widest / 2 {
                run.append(i)
            } else if !run.isEmpty {
                tops.append(run.max { spread[$0]! < spread[$1]! }!)
                run = []
            }
        }
        #expect(tops.count == 2, "jumping-jack tops at frames \(tops)")
        for i in tops {
            let pose = try #require(poses[i])
            let head = pose.image(.nose).y
            #expect(pose.image(.leftWrist).y < head && pose.image(.rightWrist).y < head,
                    "frame \(i): wrists at y \(pose.image(.leftWrist).y), \(pose.image(.rightWrist).y), nose at \(head)")
        }
    }
}

/// A failure of the shared video pass, kept as text so every test reports it.
struct PoseRunError: Error, CustomStringConvertible, Sendable {
    var description: String
}
