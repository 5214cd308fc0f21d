extension BodyPose {
    /// The BlazePose landmark indices (MediaPipe's PoseLandmark order).
    public enum Joint: Int, CaseIterable, Sendable {
        case nose, leftEyeInner, leftEye, leftEyeOuter, rightEyeInner, rightEye, rightEyeOuter
        case leftEar, rightEar, mouthLeft, mouthRight
        case leftShoulder, rightShoulder, leftElbow, rightElbow, leftWrist, rightWrist
        case leftPinky, rightPinky, leftIndex, rightIndex, leftThumb, rightThumb
        case leftHip, rightHip, leftKnee, rightKnee, leftAnkle, rightAnkle
        case leftHeel, rightHeel, leftFootIndex, rightFootIndex
    }

    /// The image landmark of `joint`.
    public func image(_ joint: Joint) -> ImageLandmark { image[joint.rawValue] }

    /// The world landmark of `joint`.
    public func world(_ joint: Joint) -> WorldLandmark { world[joint.rawValue] }
}
