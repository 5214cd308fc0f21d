import BiomechCore
@testable import Datasets
import Foundation
import Testing
import ZIPFoundation
import TestSupport

/// ALEX-GYM-1's spreadsheets, built as real .xlsx files from the squat sheet's published columns.
@Suite struct AlexGymSheetTests {
    /// The squat sheet's header, verbatim from the authors' notebooks (spelling included).
    static let header = ["Num Video Frontal", "Num Video Lateral", "NumIdx", "Action", "Feet Out 30 F", "Score: Frontal( - / 1)",
                         "Whole Feet Flat On the Floor (1) L", "Bend Hips and Knees Simultaniously (1) L", "Hips backwards (1) L",
                         "Lower back neural (1) L", "Hips are lower than knees level (1 point) L", "Score: Lateral ( - / 5)",
                         "Total Score - /6", "class", "rating"]
    /// Two rows as the notebooks print them, and two bad ones.
    static let rows = [header,
                       ["17", "18", "4", "Squat", "1", "1", "1", "0", "1", "1", "0", "3", "4", "1", "4"],
                       ["93", "94", "4", "Squat", "1", "1", "1", "1", "1", "1", "0", "4", "5", "1", "5"],
                       ["95", "", "5", "Squat", "1", "1", "yes", "1", "1", "1", "1", "5", "6", "1", "6"],
                       ["", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
                       ["", "", "6", "Squat", "1", "1", "1", "1", "1", "1", "1", "5", "6", "1", "6"]]
    static let vocabulary = ExerciseVocabulary(names: ["squat", "lunge", "single_leg_deadlift"], aliases: ["lunges": "lunge"])

    @Test func spreadsheetCellsReadBack() throws {
        let work = try TemporaryFolder()
        let file = work("s.xlsx")
        try XLSXFixture.write([["name", "n", "", "note"], ["a & b", "3.0", "", "inline <text>"], ["", "", "2.5"]], to: file, inline: ["inline <text>"])
        let sheet = try Spreadsheet.read(file)
        #expect(sheet.rows == [["name", "n", "", "note"], ["a & b", "3", "", "inline <text>"], ["", "", "2.5"]])
        try work.write("not.xlsx", "plain text")
        #expect(throws: Spreadsheet.ReadError.self) { try Spreadsheet.read(work("not.xlsx")) }
        #expect(Spreadsheet.position("AB12")! == (11, 27))
        // A part that unpacks beyond the limit is refused by name, before it fills memory.
        #expect { try Spreadsheet.read(file, maximumPartBytes: 100) } throws: { "\($0)".contains("s.xlsx: cannot read the file, or it is larger than 100 B") }
        #expect { try Spreadsheet.read(work("missing.xlsx")) } throws: { "\($0)".contains("missing.xlsx: cannot read the file") }
    }

    /// A part's inflater reads only the part's own bytes, and its output is capped.
    @Test func partsAreBoundedInAndOut() throws {
        let work = try TemporaryFolder()
        try work.write("z/a.txt", String(repeating: "a", count: 10_000))
        try Tools.require("bsdtar", ["--format", "zip", "-cf", work("a.zip").path, "-C", work("z").path, "a.txt"])
        let bytes = [UInt8](try Data(contentsOf: work("a.zip")))
        let compressed = UInt64(try #require(ZIPFoundation.Archive(url: work("a.zip"), accessMode: .read)["a.txt"]).compressedSize)
        #expect(compressed < 1_000, "deflated")
        #expect(try ZipPart.unpack("a.txt", compressedSize: compressed, from: bytes, limit: 20_000).count == 10_000)
        #expect { try ZipPart.unpack("a.txt", compressedSize: compressed, from: bytes, limit: 1_000) } throws: { "\($0)".contains("unpacks to more than 1000 bytes") }
        #expect(throws: (any Error).self, "a stream cut short is an error (zlib's, or running past its bytes)") {
            try ZipPart.unpack("a.txt", compressedSize: compressed / 2, from: bytes, limit: 20_000)
        }
        #expect { try ZipPart.unpack("a.txt", compressedSize: 1 << 40, from: bytes, limit: 20_000) } throws: { "\($0)".contains("more than the file holds") }
        #expect { try ZipPart.unpack("b.txt", compressedSize: compressed, from: bytes, limit: 20_000) } throws: { "\($0)".contains("no local header") }
        // The input on which ZIPFoundation's own extraction never returned (FuzzSpreadsheet) ends in an error.
        let endless = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/Corpus/FuzzSpreadsheet/timeout-zipfoundation-endless-deflate").standardized
        #expect(throws: Spreadsheet.ReadError.self) { try Spreadsheet.read(endless) }
    }

    /// Markup that Foundation's XMLParser must not see is refused first: `<?x?>` crashed the
    /// process (FuzzSpreadsheet), and a DTD could expand entities.
    @Test func processingInstructionsAndDTDsAreRefused() throws {
        let work = try TemporaryFolder()
        for (name, body) in [("pi", "<?xml version=\"1.0\"?><workbook><?x?></workbook>"),
                             ("dtd", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]><workbook>&a;</workbook>")] {
            try work.write("\(name)/xl/workbook.xml", body)
            try Tools.require("bsdtar", ["--format", "zip", "-cf", work("\(name).xlsx").path, "-C", work(name).path, "xl"])
            #expect { try Spreadsheet.read(work("\(name).xlsx")) } throws: {
                "\($0)".contains("\(name).xlsx: xl/workbook.xml: holds a") && "\($0)".contains("(expected elements only)")
            }
        }
        #expect(Spreadsheet.unsafeMarkup(in: Data("\u{FEFF}\n<?xml version=\"1.0\"?>\n<a>x</a>".utf8)) == nil)
        #expect(Spreadsheet.unsafeMarkup(in: Data("<a/><?xml?>".utf8)) != nil, "a declaration is allowed only first")
        #expect(Spreadsheet.unsafeMarkup(in: Data()) == nil)
    }

    @Test func readsCriteriaRatingsAndScores() throws {
        let work = try TemporaryFolder()
        try XLSXFixture.write(Self.rows, to: work("squat.xlsx"))
        let sheet = try AlexGymSheet(Spreadsheet.read(work("squat.xlsx")), file: "squat.xlsx", vocabulary: Self.vocabulary)
        #expect(sheet.criteria.map(\.view) == ["frontal", "lateral", "lateral", "lateral", "lateral", "lateral"])
        #expect(sheet.criteria.last?.name == "Hips are lower than knees level (1 point) L")
        #expect(sheet.recordings.count == 2)
        let first = sheet.recordings[0]
        #expect(first.frontal == 17 && first.lateral == 18 && first.numIdx == 4 && first.exercise == "squat" && first.line == 2)
        #expect(first.ratings == [1, 1, 0, 1, 1, 0])
        #expect(abs(first.formScore! - 400.0 / 6) < 1e-9, "4 of 6 criteria met, as the sheet's Total Score says")
        #expect(sheet.warnings.count == 2)
        #expect(sheet.warnings[0] == "squat.xlsx:4: 'Whole Feet Flat On the Floor (1) L' holds 'yes', expected 0 or 1; row skipped")
        #expect(sheet.warnings[1].hasPrefix("squat.xlsx:6: no video number"))
        #expect(throws: Spreadsheet.ReadError.self) {
            try AlexGymSheet(Spreadsheet(rows: [["a", "b"]]), file: "x.xlsx", vocabulary: Self.vocabulary)
        }
    }

    @Test func ratingsReachTheVideosOfBothViews() throws {
        let work = try TemporaryFolder()
        try XLSXFixture.write(Self.rows, to: work("files/ALEX-GYM-1/squat.xlsx"))
        let videos: Set<String> = ["ALEX-GYM-1/Squat_videos/17.mp4", "ALEX-GYM-1/Squat_videos/18.mp4", "ALEX-GYM-1/Squat_videos/93_front.mp4",
                                   "ALEX-GYM-1/Lunges_videos/17.mp4", "ALEX-GYM-1/Squat_videos/170.mp4"]
        let index = AnnotationIndex(sources: [AnnotationSource(format: .alexGymXLSX, files: ["**/*.xlsx"])], filesFolder: work("files"),
                                    videos: videos, vocabulary: Self.vocabulary)
        #expect(index.warnings.count == 2)
        #expect(Set(index.byVideo.keys) == ["ALEX-GYM-1/Squat_videos/17.mp4", "ALEX-GYM-1/Squat_videos/18.mp4", "ALEX-GYM-1/Squat_videos/93_front.mp4"],
                "the lunge with the same number and 170 are other videos")
        let facts = index.byVideo["ALEX-GYM-1/Squat_videos/18.mp4"]!
        #expect(facts.first { $0.kind == "view" }?.value == "lateral")
        // Unmet: hips and knees bending together (no project fault) and depth.
        #expect(facts.filter { $0.kind == "fault" }.map(\.value) == ["shallow_depth"])
        #expect(facts.filter { $0.kind == "criterion" && $0.number == 0 }.count == 2)
        #expect(facts.first { $0.kind == "criterion" }?.value == "Feet Out 30 F [frontal]")
        #expect(facts.allSatisfy { $0.sourceFile == "ALEX-GYM-1/squat.xlsx" && $0.line == 2 })
        #expect(index.exercise["ALEX-GYM-1/Squat_videos/17.mp4"] == "squat")
        #expect(index.quality["ALEX-GYM-1/Squat_videos/17.mp4"] == "fair", "66.7 of 100")
        #expect(index.quality["ALEX-GYM-1/Squat_videos/93_front.mp4"] == "good", "83.3 of 100")
    }

    /// docs/LABELS.md's table of error labels is this one.
    @Test func faultTableMatchesTheDocument() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/LABELS.md").standardized
        let text = try String(contentsOf: doc, encoding: .utf8)
        for entry in ExpertFaults.table {
            let row = "| \(entry.dataset) | \(entry.pattern.replacingOccurrences(of: "|", with: "\\|")) | \(entry.fault ?? "-") |"
            #expect(text.contains(row), "missing or different in docs/LABELS.md: \(row)")
        }
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("| alex-gym-1 |") || $0.hasPrefix("| fitness-aqa |") }.count
                == ExpertFaults.table.count)
    }

    @Test func expertFaultMapping() {
        #expect(ExpertFaults.fault(dataset: "alex-gym-1", label: "Lower back neural (1) L") == "lumbar_flexion")
        #expect(ExpertFaults.fault(dataset: "alex-gym-1", label: "Feet Out 30 F") == nil)
        #expect(ExpertFaults.fault(dataset: "fitness-aqa", label: "error_knees_inward") == "knee_valgus")
        #expect(ExpertFaults.fault(dataset: "fitness-aqa", label: "error_knees") == nil)
        #expect(ExpertFaults.fault(dataset: "nobody", label: "knees inward") == nil)
    }
}
