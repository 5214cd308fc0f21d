/// One video picked from a playlist or channel, to be fetched.
public struct SourcePick: Sendable, Equatable {
    public var info: YouTubeInfo
    public var exercise: String?
    /// The source's URL, kept in the receipt and the catalog.
    public var source: String
}

/// Picks the videos of a dataset's playlist and channel sources, in listing order.
///
/// A video listed by two sources is taken from the first. `per_exercise` counts the videos already
/// kept for an exercise (sources without one form one group), so a later run only tops up.
public enum SourceSelection {
    /// The listing of one source, as yt-dlp gave it.
    public typealias Listing = (source: YouTubeSource, entries: [YouTubeInfo])

    /// The next videos to fetch: per exercise, as many as `per_exercise` still allows, skipping `decided`
    /// ids (kept, filtered, unavailable, or tried in this run) and every entry the filters reject.
    public static func next(_ listings: [Listing], list: YouTubeList, kept: [String: Int], decided: Set<String>) -> [SourcePick] {
        var seen = Set<String>()
        var room = kept.mapValues { count in list.perExercise.map { $0 - count } ?? Int.max }
        var picks: [SourcePick] = []
        for (source, entries) in listings {
            let filter = YouTubeFilter(list: list, source: source)
            let group = source.exercise ?? ""
            for entry in entries where seen.insert(entry.id).inserted {
                guard !decided.contains(entry.id), (room[group] ?? list.perExercise ?? Int.max) > 0 else { continue }
                guard filter.rejection(title: entry.title, uploadDate: entry.day, duration: entry.duration) == nil else { continue }
                room[group] = (room[group] ?? list.perExercise ?? Int.max) - 1
                picks.append(SourcePick(info: entry, exercise: source.exercise, source: source.url))
            }
        }
        return picks
    }

    /// How many entries of the listings pass the filters (for the fetch's summary line).
    public static func passing(_ listings: [Listing], list: YouTubeList) -> (listed: Int, passing: Int) {
        var seen = Set<String>(), listed = 0, passing = 0
        for (source, entries) in listings {
            let filter = YouTubeFilter(list: list, source: source)
            for entry in entries where seen.insert(entry.id).inserted {
                listed += 1
                if filter.rejection(title: entry.title, uploadDate: entry.day, duration: entry.duration) == nil { passing += 1 }
            }
        }
        return (listed, passing)
    }
}
