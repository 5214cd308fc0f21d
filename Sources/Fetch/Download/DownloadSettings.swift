import BiomechCore
import Foundation

/// How hard and how patiently `Downloader` tries; set from `biomech-fetch`'s options.
public struct DownloadSettings: Sendable {
    /// Failed attempts allowed per source after the first (an attempt that added bytes is free).
    public var retries = 5
    /// First backoff delay in seconds; doubles per consecutive failure, with jitter.
    public var retryDelay = 1.0
    /// Longest backoff delay in seconds.
    public var maxRetryDelay = 60.0
    /// Longest `Retry-After` honoured; a server asking for more fails that source.
    public var maxRetryAfter = 600.0
    /// A transfer slower than `lowSpeedBytes` per second for this long is aborted and resumed.
    public var stallSeconds = 30
    public var lowSpeedBytes = 1024
    public var connectTimeout = 30
    public var userAgent = "biomech-fetch/\(BiomechVersion.string)"

    public init() {}

    /// Retries allowed after attempts that added bytes: ten per counted retry, saturating instead of
    /// overflowing for a library caller that sets `retries` to `Int.max`.
    var progressedRetryBudget: Int {
        let (budget, overflow) = (retries.clamped(to: 0...1_000_000) + 1).multipliedReportingOverflow(by: 10)
        return overflow ? Int.max : budget
    }

    /// The delay before retry number `failures` (1-based) of an attempt that made no progress.
    func backoff(failures: Int) -> Double {
        let exponential = retryDelay * pow(2, Double(max(0, failures - 1)))
        return min(maxRetryDelay, exponential) * Double.random(in: 0.5...1.0)
    }
}

/// Parses an HTTP `Retry-After` value: delay seconds or an HTTP date.
func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    // `inf`, `nan` or `1e400` is not a delay anyone can wait for: treat it as no usable header.
    if let seconds = Double(trimmed) { return seconds.isFinite ? max(0, seconds) : nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: trimmed) else { return nil }
    return max(0, date.timeIntervalSince(now))
}

/// Parses `bytes START-END/TOTAL` (or `bytes */TOTAL`) into its numbers.
func parseContentRange(_ value: String) -> (start: Int64?, end: Int64?, total: Int64?) {
    let body = value.lowercased().replacingOccurrences(of: "bytes", with: "").trimmingCharacters(in: .whitespaces)
    let halves = body.split(separator: "/", maxSplits: 1).map(String.init)
    let total = halves.count == 2 ? Int64(halves[1]) : nil
    let bounds = halves.first?.split(separator: "-").map { Int64($0) } ?? []
    return (bounds.count == 2 ? bounds[0] : nil, bounds.count == 2 ? bounds[1] : nil, total)
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
