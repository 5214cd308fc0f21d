import BiomechCore
import Testing

/// Command-line sizes and durations: every value either parses or is nil, never a trap.
@Suite struct ParsingTests {
    @Test(arguments: ["inf", "-inf", "infinity", "nan", "1e30", "99999999T", "9223372036854775807", "-1", "-0.5K", "", "K", "G", "lots", "1.5.2M"])
    func impossibleSizesAreNil(_ text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func sizesAtTheEdgeOfInt64() {
        #expect(ByteSize.parse("0") == 0)
        #expect(ByteSize.parse("1.5K") == 1536)
        #expect(ByteSize.parse("8388607T") == 8_388_607 << 40)   // the largest whole number of TiB below 2^63
        #expect(ByteSize.parse("8388608T") == nil)                 // exactly 2^63
        #expect(ByteSize.parse("9223372036854774784") == 9_223_372_036_854_774_784)   // the largest Double below 2^63
    }

    @Test func durations() {
        #expect(DurationText.parse("30") == 30)
        #expect(DurationText.parse("30s") == 30)
        #expect(DurationText.parse("0.05") == 0.05)
        #expect(DurationText.parse("5m") == 300)
        #expect(DurationText.parse("1.5h") == 5400)
        #expect(DurationText.parse("2d") == 172_800)
        #expect(DurationText.parse("7d") == DurationText.defaultMaximum)
        #expect(DurationText.parse("0") == 0)
    }

    @Test(arguments: ["inf", "infs", "-inf", "nan", "nanm", "1e30", "1e300d", "8d", "604801", "-1", "-1s", "", "s", "m", "soon", "5 m"])
    func impossibleDurationsAreNil(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func durationMaximumIsTheCallers() {
        #expect(DurationText.parse("2h", maximum: 3600) == nil)
        #expect(DurationText.parse("1h", maximum: 3600) == 3600)
    }
}
