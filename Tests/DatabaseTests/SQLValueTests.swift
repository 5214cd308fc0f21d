import Database
import Testing

/// `SQLValue` conversions and the text form used for tables and CSV.
@Suite struct SQLValueTests {
    @Test func literalsAndInitializers() {
        let values: [SQLValue] = [nil, 42, 2.5, "text"]
        #expect(values == [.null, .integer(42), .real(2.5), .text("text")])
        #expect(SQLValue(7) == .integer(7))
        #expect(SQLValue(1.5) == .real(1.5))
        #expect(SQLValue(true) == .integer(1))
        #expect(SQLValue(false) == .integer(0))
        #expect(SQLValue("a" as String?) == .text("a"))
        #expect(SQLValue(nil as String?) == .null)
        #expect(SQLValue(3 as Int?) == .integer(3))
        #expect(SQLValue(nil as Int?) == .null)
        #expect(SQLValue(0.25 as Double?) == .real(0.25))
        #expect(SQLValue(nil as Double?) == .null)
    }

    @Test func accessors() {
        #expect(SQLValue.integer(5).int == 5)
        #expect(SQLValue.real(5).int == nil)
        #expect(SQLValue.text("5").int == nil)
        #expect(SQLValue.integer(5).double == 5.0)
        #expect(SQLValue.real(0.5).double == 0.5)
        #expect(SQLValue.text("x").double == nil)
        #expect(SQLValue.text("x").string == "x")
        #expect(SQLValue.integer(1).string == nil)
        #expect(SQLValue.null.isNull)
        #expect(!SQLValue.text("").isNull)
        // Like Double, NaN is not equal to itself.
        #expect(SQLValue.real(.nan) != SQLValue.real(.nan))
    }

    @Test(arguments: [
        (SQLValue.null, ""),
        (.integer(-5), "-5"),
        (.integer(.max), "9223372036854775807"),
        (.real(3), "3"),
        (.real(0.1), "0.1"),
        (.real(-2.5), "-2.5"),
        (.real(3.14159265), "3.141593"),
        (.real(-0.0), "0"),
        (.real(1e-9), "1e-09"),
        (.real(.infinity), "inf"),
        (.text("héllo"), "héllo"),
        (.blob([]), "x''"),
        (.blob([0x0a, 0xff, 0x00]), "x'0aff00'"),
    ])
    func display(value: SQLValue, expected: String) {
        #expect(value.display == expected)
    }
}
