import Datasets
import Foundation

/// Annotation spreadsheets (.xlsx: a zip of XML parts) and ALEX-GYM-1's sheet on top: rows or a
/// ReadError, never a crash or a hang.
/// One scratch file per process, rewritten for each input (the reader works on files).
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-xlsx-\(getpid()).xlsx")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpreadsheet(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard (try? Data(UnsafeBufferPointer(start: start, count: count)).write(to: scratch)) != nil,
          let sheet = try? Spreadsheet.read(scratch) else { return 0 }
    let vocabulary = ExerciseVocabulary(names: ["squat", "lunge", "single_leg_deadlift"], aliases: [:])
    if let parsed = try? AlexGymSheet(sheet, file: "fuzz.xlsx", vocabulary: vocabulary) {
        for recording in parsed.recordings { _ = recording.formScore }
    }
    return 0
}
