import Database
import Foundation
import Testing
import TestSupport

/// Expert ratings from an annotation spreadsheet reach the catalog: exercise, quality and faults.
@Suite struct CatalogExpertLabelTests {
    @Test func alexGymRatingsLabelTheirVideos() throws {
        let f = try CatalogFixture()
        try f.manifest("alex", labels: """
            labels:
              annotations:
                - format: alex_gym_xlsx
                  files: ["ALEX-GYM-1/*.xlsx"]
            """)
        try f.video("alex", "ALEX-GYM-1/Squat_videos/17.mp4", variant: 1)
        try f.video("alex", "ALEX-GYM-1/Squat_videos/18.mp4", variant: 2)
        try f.video("alex", "ALEX-GYM-1/Squat_videos/99.mp4", variant: 3)
        let header = ["Num Video Frontal", "Num Video Lateral", "NumIdx", "Action", "Feet Out 30 F", "Whole Feet Flat On the Floor (1) L",
                      "Hips are lower than knees level (1 point) L", "Total Score - /6", "class", "rating"]
        try XLSXFixture.write([header, ["17", "18", "4", "Squat", "1", "0", "0", "1", "1", "1"]],
                              to: f.files("alex").appendingPathComponent("ALEX-GYM-1/squat.xlsx"))
        try f.scan()
        let rows = try f.query("SELECT path, exercise, exercise_source, quality, quality_source FROM videos ORDER BY path")
        #expect(rows == [[.text("ALEX-GYM-1/Squat_videos/17.mp4"), .text("squat"), .text("annotation"), .text("poor"), .text("annotation")],
                         [.text("ALEX-GYM-1/Squat_videos/18.mp4"), .text("squat"), .text("annotation"), .text("poor"), .text("annotation")],
                         [.text("ALEX-GYM-1/Squat_videos/99.mp4"), .null, .null, .null, .null]])
        let faults = try f.query("""
            SELECT a.value, a.source_file, a.source_line FROM annotations a JOIN videos v ON v.id = a.video_id
            WHERE v.path LIKE '%/17.mp4' AND a.kind = 'fault' ORDER BY a.value
            """)
        #expect(faults == [[.text("heel_lift"), .text("ALEX-GYM-1/squat.xlsx"), .integer(2)],
                           [.text("shallow_depth"), .text("ALEX-GYM-1/squat.xlsx"), .integer(2)]])
        let score = try f.query("SELECT a.number FROM annotations a JOIN videos v ON v.id = a.video_id WHERE v.path LIKE '%/18.mp4' AND a.kind = 'form_score'")
        #expect(score.count == 1 && abs((score[0][0].double ?? 0) - 100.0 / 3) < 1e-9, "1 of 3 criteria met")
    }
}
