import Foundation

/// The facts biomech keeps from yt-dlp's metadata: a flat playlist entry, or the info JSON beside a clip.
///
/// Field names are yt-dlp's (its README, "OUTPUT TEMPLATE"). YouTube sets `license` only for videos
/// whose page shows one (e.g. "Creative Commons Attribution license (reuse allowed)"); flat playlist
/// entries carry no `upload_date` or `license`, and a `timestamp` only when asked for an approximate date.
public struct YouTubeInfo: Codable, Sendable, Equatable {
    public var id: String
    public var title: String?
    public var uploader: String?
    public var uploaderID: String?
    public var channel: String?
    public var channelID: String?
    public var license: String?
    /// YYYYMMDD, UTC.
    public var uploadDate: String?
    public var timestamp: Double?
    public var duration: Double?
    public var webpageURL: String?

    enum CodingKeys: String, CodingKey {
        case id, title, uploader, channel, license, timestamp, duration
        case uploaderID = "uploader_id"
        case channelID = "channel_id"
        case uploadDate = "upload_date"
        case webpageURL = "webpage_url"
    }

    public init(id: String, title: String? = nil, uploader: String? = nil, license: String? = nil,
                uploadDate: String? = nil, duration: Double? = nil) {
        self.id = id; self.title = title; self.uploader = uploader; self.license = license
        self.uploadDate = uploadDate; self.duration = duration
    }

    /// The upload day as YYYYMMDD: the exact `upload_date`, else the day of `timestamp`.
    public var day: String? { uploadDate ?? timestamp.map(YouTubeFilter.day(timestamp:)) }

    /// Reads an info JSON file; `file` names it in the error.
    public static func read(_ url: URL) throws -> YouTubeInfo {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InfoError(file: url.path, message: "cannot read (\(error.localizedDescription))")
        }
        do { return try JSONDecoder().decode(YouTubeInfo.self, from: data) } catch {
            throw InfoError(file: url.path, message: "not a yt-dlp info JSON with an 'id' (\(error))")
        }
    }

    /// The entries of `yt-dlp --flat-playlist --dump-single-json` output, nested playlists (a
    /// channel's tabs) flattened, in order; `source` names the URL in errors.
    public static func entries(ofListing data: Data, source: String) throws -> [YouTubeInfo] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InfoError(file: source, message: "yt-dlp's listing is not a JSON object")
        }
        var found: [YouTubeInfo] = []
        func walk(_ playlist: [String: Any]) {
            for case let entry as [String: Any] in playlist["entries"] as? [Any] ?? [] {
                if entry["entries"] != nil { walk(entry); continue }
                guard let id = entry["id"] as? String, id.range(of: "^[A-Za-z0-9_-]{6,20}$", options: .regularExpression) != nil,
                      let json = try? JSONSerialization.data(withJSONObject: entry),
                      let info = try? JSONDecoder().decode(YouTubeInfo.self, from: json) else { continue }
                found.append(info)
            }
        }
        guard object["entries"] != nil else {
            throw InfoError(file: source, message: "yt-dlp's listing has no 'entries': not a playlist or channel URL?")
        }
        walk(object)
        return found
    }

    /// An info file or listing that cannot be used.
    public struct InfoError: Error, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
    }
}
