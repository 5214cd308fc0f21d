import CFFmpeg

/// A stream's time base: its timestamps count ticks of `numerator / denominator` seconds.
public struct TimeBase: Sendable, Equatable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    /// 1/90000 s, MPEG's clock: the encoder's time base when none is given.
    public static let fine = TimeBase(numerator: 1, denominator: 90_000)

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The length of one tick in seconds; 0 when the time base is not positive.
    public var seconds: Double {
        guard numerator > 0, denominator > 0 else { return 0 }
        return Double(numerator) / Double(denominator)
    }

    /// "1/15360".
    public var description: String { "\(numerator)/\(denominator)" }

    init(_ rational: AVRational) {
        self.init(numerator: Int(rational.num), denominator: Int(rational.den))
    }

    /// As libav's rational; nil unless both parts are positive and fit 32 bits.
    var rational: AVRational? {
        guard numerator > 0, denominator > 0, numerator <= Int(Int32.max), denominator <= Int(Int32.max) else { return nil }
        return AVRational(num: Int32(numerator), den: Int32(denominator))
    }
}
