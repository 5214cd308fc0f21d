/// A 3-D vector in metres (world coordinates) or normalized units (image coordinates).
public typealias Vec3 = SIMD3<Double>

/// MediaPipe Pose's 33 landmarks, with MediaPipe's names and indices.
public enum Landmark: Int, CaseIterable, Sendable {
    case nose = 0
    case leftEyeInner, leftEye, leftEyeOuter, rightEyeInner, rightEye, rightEyeOuter
    case leftEar, rightEar, mouthLeft, mouthRight
    case leftShoulder, rightShoulder, leftElbow, rightElbow, leftWrist, rightWrist
    case leftPinky, rightPinky, leftIndex, rightIndex, leftThumb, rightThumb
    case leftHip, rightHip, leftKnee, rightKnee, leftAnkle, rightAnkle
    case leftHeel, rightHeel, leftFootIndex, rightFootIndex

    /// The number of landmarks (`V` in the model's shape keys).
    public static let count = 33

    /// MediaPipe's snake_case name, e.g. `left_foot_index`.
    public var name: String { Self.names[rawValue] }

    /// The same landmark on the other side of the body (the nose maps to itself).
    public var mirrored: Landmark { Self.mirrors[rawValue] }

    private static let names: [String] = allCases.map { landmark in
        String(describing: landmark).reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }

    private static let mirrors: [Landmark] = allCases.map { landmark in
        let n = names[landmark.rawValue]
        let other = n.hasPrefix("left_") ? "right_" + n.dropFirst(5)
            : n.hasPrefix("right_") ? "left_" + n.dropFirst(6)
            : n == "mouth_left" ? "mouth_right" : n == "mouth_right" ? "mouth_left" : n
        return Landmark(rawValue: names.firstIndex(of: other)!)!
    }

    /// The landmark with MediaPipe name `name`, if any.
    public static func named(_ name: String) -> Landmark? { names.firstIndex(of: name).flatMap(Landmark.init(rawValue:)) }
}
