/// One row of a contact sheet: a labelled sequence shown as frames left to right.
public struct StickFigureRow: Sendable {
    /// Printed above the row, e.g. "squat · poor · seed 42 #17".
    public var label: String
    /// Per frame, per landmark: a point in normalized image coordinates, or nil when the landmark is missing.
    public var frames: [[Point2?]]
    /// Optional per-landmark colour (e.g. risk); landmarks beyond its end use `RGB.ink`.
    public var colors: [RGB]?

    public init(label: String, frames: [[Point2?]], colors: [RGB]? = nil) {
        self.label = label
        self.frames = frames
        self.colors = colors
    }

    /// The colour of landmark `index`.
    func color(of index: Int) -> RGB {
        guard let colors, colors.indices.contains(index) else { return .ink }
        return colors[index]
    }
}
