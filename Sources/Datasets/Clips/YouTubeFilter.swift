import Foundation

/// Decides which videos of a playlist or channel a dataset keeps: title patterns, upload dates and lengths.
///
/// The same rules judge a flat listing's entry (where the date may be approximate or missing) and,
/// after download, the video's own info JSON; an unknown field passes until it is known.
public struct YouTubeFilter: Sendable {
    let include: [NSRegularExpression]
    let exclude: [NSRegularExpression]
    /// YYYYMMDD bounds, inclusive.
    let after: String?, before: String?
    let minSeconds: Double?, maxSeconds: Double?

    /// The filter of one source; patterns were checked when the manifest loaded.
    public init(list: YouTubeList, source: YouTubeSource) {
        func compile(_ p: String) -> NSRegularExpression? { try? NSRegularExpression(pattern: p, options: [.caseInsensitive]) }
        include = source.include.compactMap(compile)
        exclude = source.exclude.compactMap(compile)
        after = list.after.flatMap(Self.day)
        before = list.before.flatMap(Self.day)
        minSeconds = list.minSeconds
        maxSeconds = list.maxSeconds
    }

    /// Why the video is left out, or nil when it is kept. `uploadDate` is YYYYMMDD.
    public func rejection(title: String?, uploadDate: String?, duration: Double?) -> String? {
        let title = title ?? ""
        let range = NSRange(title.startIndex..., in: title)
        if !include.isEmpty, !include.contains(where: { $0.firstMatch(in: title, range: range) != nil }) {
            return "title matches no include pattern"
        }
        if let hit = exclude.first(where: { $0.firstMatch(in: title, range: range) != nil }) {
            return "title matches exclude pattern '\(hit.pattern)'"
        }
        if let date = uploadDate {
            if let after, date < after { return "uploaded \(Self.dashed(date)), before \(Self.dashed(after))" }
            if let before, date > before { return "uploaded \(Self.dashed(date)), after \(Self.dashed(before))" }
        }
        if let duration {
            if let minSeconds, duration < minSeconds { return "\(Int(duration)) s long, shorter than \(Int(minSeconds)) s" }
            if let maxSeconds, duration > maxSeconds { return "\(Int(duration)) s long, longer than \(Int(maxSeconds)) s" }
        }
        return nil
    }

    /// YYYY-MM-DD as YYYYMMDD (yt-dlp's `upload_date`), or nil when it is not a real date.
    public static func day(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d else { return nil }
        return parts.joined()
    }

    /// YYYYMMDD as YYYY-MM-DD.
    public static func dashed(_ day: String) -> String {
        guard day.count == 8 else { return day }
        let s = Array(day)
        return "\(String(s[0..<4]))-\(String(s[4..<6]))-\(String(s[6..<8]))"
    }

    /// A Unix time as YYYYMMDD in UTC.
    public static func day(timestamp: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd"
        return formatter.string(from: Date(timeIntervalSince1970: timestamp))
    }
}
