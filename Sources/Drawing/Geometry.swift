/// A point in a frame's normalized image coordinates: x to the right, y down, both in [0, 1].
public struct Point2: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// False for NaN or infinite coordinates, which are drawn as missing rather than handed to cairo.
    var isFinite: Bool { x.isFinite && y.isFinite }
}

/// A colour with red, green and blue in [0, 1].
public struct RGB: Sendable, Equatable {
    public var r, g, b: Double
    public init(_ r: Double, _ g: Double, _ b: Double) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// The colour of bones and joints when a row gives no colours of its own.
    public static let ink = RGB(0.16, 0.2, 0.3)
}
