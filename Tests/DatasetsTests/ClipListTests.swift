import BiomechCore
import Datasets
import Testing

/// Clip lists (Countix-style CSV): ids, spans and the values that used to crash.
@Suite struct ClipListTests {
    let list = YouTubeList(lists: ["list.csv"], idColumn: "video_id", startColumn: "start", endColumn: "end")

    func parse(_ body: String) throws -> [ClipSpec] {
        try ClipList.parse("video_id,start,end\n" + body, list: list, file: "list.csv", manifestFile: "countix.yaml")
    }

    @Test func spansAreReadAndNamed() throws {
        let clips = try parse("abcdefghijk,10,20.5\nxyz_-123456,,\n")
        #expect(clips == [ClipSpec(id: "abcdefghijk", start: 10, end: 20.5), ClipSpec(id: "xyz_-123456")])
        #expect(clips.map(\.baseName) == ["abcdefghijk_10_20.5", "xyz_-123456"])
    }

    /// `inf`, `nan`, `1e30` and negative times parse as Double; naming the clip then trapped in `Int(v)` before the fix.
    @Test(arguments: ["inf", "nan", "1e30", "-5", "-inf", "ten"])
    func badTimesAreConfigurationErrorsNamingTheLine(value: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try parse("abcdefghijk,0,20\nabcdefghijk,\(value),20\n") }
        #expect(error.file == "list.csv" && error.line == 3 && error.key == "start")
        #expect(error.description.contains("'\(value)'"))
        #expect(error.exitCode == ExitStatus.usage)
    }

    @Test func clipNamesOfHugeTimesDoNotTrap() {
        #expect(YouTubeClipName.base(id: "abcdefghijk", start: 1e30, end: .infinity) == "abcdefghijk_1e+30_inf")
    }

    @Test func aBadIdNamesTheFileLineAndColumn() throws {
        let error = try #require(throws: ConfigurationError.self) { try parse("abcdefghijk,1,2\nno spaces!,1,2\n") }
        #expect(error.line == 3 && error.key == "video_id")
    }
}
