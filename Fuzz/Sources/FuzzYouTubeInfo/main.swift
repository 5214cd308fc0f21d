import Datasets
import Foundation

/// yt-dlp's JSON (a flat playlist listing, a video's info JSON) and QEVD-FIT-COACH's feedbacks:
/// values or an error, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYouTubeInfo(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    if let entries = try? YouTubeInfo.entries(ofListing: data, source: "fuzz") {
        for entry in entries { _ = entry.day }
    }
    if let info = try? JSONDecoder().decode(YouTubeInfo.self, from: data) {
        _ = info.day
        _ = YouTubeFilter(list: YouTubeList(), source: YouTubeSource(url: "u", include: ["squat"])).rejection(
            title: info.title, uploadDate: info.day, duration: info.duration)
    }
    if let feedbacks = try? FitCoachFeedbacks(data, file: "fuzz.json") {
        for workout in feedbacks.workouts { _ = workout.exercises }
    }
    return 0
}
