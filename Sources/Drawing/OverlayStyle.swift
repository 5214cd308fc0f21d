/// Sizes and strengths of an overlay's marks, all proportional to the frame so pictures look alike at any size.
///
/// With `s` the frame's shorter side in pixels and `risk` clamped to 0-100:
/// - bones are `max(1.5, 0.006 s)` wide, with a dark translucent edge of a quarter of that on each side;
/// - joints are discs of radius `max(2, 0.009 s)`, ringed the same way;
/// - a joint with a risk score glows with a radial gradient of radius `s × (0.02 + 0.08 × risk / 100)`
///   (2% of `s` at risk 0, 10% at risk 100), its band colour at opacity `0.35 + 0.4 × risk / 100` in the
///   middle fading to transparent at the edge;
/// - panel text is `max(9, 0.03 h)` pixels high for a frame `h` pixels high.
struct OverlayStyle {
    /// The frame's shorter side.
    let unit: Double
    let frameHeight: Double

    init(width: Int, height: Int) {
        unit = Double(max(1, min(width, height)))
        frameHeight = Double(max(1, height))
    }

    var boneWidth: Double { max(1.5, 0.006 * unit) }
    var edgeWidth: Double { boneWidth / 4 }
    var jointRadius: Double { max(2, 0.009 * unit) }
    static let edgeColor = RGB(0, 0, 0)
    static let edgeAlpha = 0.5

    func glowRadius(risk: Double) -> Double { unit * (0.02 + 0.08 * Self.clamp(risk) / 100) }
    func glowAlpha(risk: Double) -> Double { 0.35 + 0.4 * Self.clamp(risk) / 100 }

    var textSize: Double { max(9, 0.03 * frameHeight) }
    /// Space between the frame's corner and the panel, and inside the panel around the text.
    var panelMargin: Double { textSize * 0.6 }
    var lineHeight: Double { textSize * 1.3 }
    static let panelColor = RGB(0, 0, 0)
    static let panelAlpha = 0.6
    static let panelTextColor = RGB(1, 1, 1)

    static func clamp(_ risk: Double) -> Double { min(100, max(0, risk)) }
}
