/// A frame of packed 8-bit RGB pixels, row after row with no padding.
public struct RGBFrame: Sendable {
    public var width: Int
    public var height: Int
    /// `width * height * 3` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGBFrame: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}

/// A landmark in the image: x and y in [0, 1] of the width and height, z depth at the hips' scale.
public struct ImageLandmark: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var z: Float
    /// How likely the landmark is visible (not occluded), 0 to 1.
    public var visibility: Float

    public init(x: Float, y: Float, z: Float, visibility: Float) {
        self.x = x
        self.y = y
        self.z = z
        self.visibility = visibility
    }
}

/// A landmark in metres, origin between the hips, y pointing down.
public struct WorldLandmark: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var z: Float

    public init(x: Float, y: Float, z: Float) {
        self.x = x
        self.y = y
        self.z = z
    }
}

/// One person's 33 BlazePose landmarks, in the image and in the world, in `BodyPose.Joint` order.
public struct BodyPose: Sendable, Equatable {
    public static let landmarkCount = 33
    public var image: [ImageLandmark]
    public var world: [WorldLandmark]

    public init(image: [ImageLandmark], world: [WorldLandmark]) {
        self.image = image
        self.world = world
    }
}

/// Finds a person's pose on frames of one video, in order.
public protocol PoseEstimator {
    /// The pose on `frame` shown at `timestampMilliseconds` (increasing from call to call), or nil
    /// when no person is found.
    func detect(_ frame: RGBFrame, timestampMilliseconds: Int64) throws -> BodyPose?
}
