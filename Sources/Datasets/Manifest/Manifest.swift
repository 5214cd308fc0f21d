import Foundation

/// One dataset's manifest: where its files come from, under what licence, and how to get them.
///
/// The format is specified in `docs/MANIFEST.md`; `ManifestLoader` decodes it from YAML and
/// rejects unknown keys, so a typo never silently drops a setting.
public struct Manifest: Codable, Sendable, Equatable {
    /// How the dataset's files are obtained.
    public enum Access: String, Codable, Sendable, CaseIterable {
        case http, manual, youtube
        /// Made on this machine by a biomech tool (e.g. the synthetic dataset), never downloaded.
        case generated
    }

    public var name: String
    public var title: String
    public var homepage: String
    public var license: String
    public var commercialUse: Bool
    public var access: Access
    public var description: String?
    public var citation: String?
    public var notes: String?
    public var files: [RemoteFile]
    public var manual: ManualAccess?
    public var youtube: YouTubeList?
    public var generated: GeneratedData?
    /// How the catalog labels this dataset's videos.
    public var labels: LabelSpec?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, title, homepage, license, access, description, citation, notes, files, manual, youtube, generated, labels
        case commercialUse = "commercial_use"
    }

    public init(name: String, title: String, homepage: String, license: String, commercialUse: Bool,
                access: Access, files: [RemoteFile] = [], manual: ManualAccess? = nil, youtube: YouTubeList? = nil) {
        self.name = name
        self.title = title
        self.homepage = homepage
        self.license = license
        self.commercialUse = commercialUse
        self.access = access
        self.files = files
        self.manual = manual
        self.youtube = youtube
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        title = try c.decode(String.self, forKey: .title)
        homepage = try c.decode(String.self, forKey: .homepage)
        license = try c.decode(String.self, forKey: .license)
        commercialUse = try c.decode(Bool.self, forKey: .commercialUse)
        access = try c.decode(Access.self, forKey: .access)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        citation = try c.decodeIfPresent(String.self, forKey: .citation)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        files = try c.decodeIfPresent([RemoteFile].self, forKey: .files) ?? []
        manual = try c.decodeIfPresent(ManualAccess.self, forKey: .manual)
        youtube = try c.decodeIfPresent(YouTubeList.self, forKey: .youtube)
        generated = try c.decodeIfPresent(GeneratedData.self, forKey: .generated)
        labels = try c.decodeIfPresent(LabelSpec.self, forKey: .labels)
    }
}

/// How a generated dataset is made: the command that writes it into `OUT/NAME/files/`.
public struct GeneratedData: Codable, Sendable, Equatable {
    public var command: String

    enum CodingKeys: String, CodingKey, CaseIterable { case command }

    public init(command: String) { self.command = command }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        command = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .command)
    }
}

/// Whether a downloaded file is unpacked into the dataset's `files/` folder.
public enum ExtractMode: String, Codable, Sendable, CaseIterable {
    /// Unpack when the name or the content says it is an archive.
    case auto
    /// Keep the file as it is (it is still linked into `files/`).
    case none
}

/// A file fetched over HTTP(S), with mirrors tried in order after `url`.
public struct RemoteFile: Codable, Sendable, Equatable {
    public var url: String
    public var mirrors: [String]
    public var sha256: String?
    public var unpinned: Bool
    public var size: Int64?
    public var extract: ExtractMode
    /// The saved name when the URL's basename is unusable; defaults to that basename.
    public var filename: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, mirrors, sha256, unpinned, size, extract, filename
    }

    public init(url: String, mirrors: [String] = [], sha256: String?, unpinned: Bool = false,
                size: Int64? = nil, extract: ExtractMode = .auto, filename: String? = nil) {
        self.url = url
        self.mirrors = mirrors
        self.sha256 = sha256
        self.unpinned = unpinned
        self.size = size
        self.extract = extract
        self.filename = filename
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        mirrors = try c.decodeIfPresent([String].self, forKey: .mirrors) ?? []
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)?.lowercased()
        unpinned = try c.decodeIfPresent(Bool.self, forKey: .unpinned) ?? false
        size = try c.decodeIfPresent(Int64.self, forKey: .size)
        extract = try c.decodeIfPresent(ExtractMode.self, forKey: .extract) ?? .auto
        filename = try c.decodeIfPresent(String.self, forKey: .filename)
    }

    /// The name the file is saved under in `downloads/`.
    public var savedName: String {
        if let filename { return filename }
        let path = URLComponents(string: url)?.path ?? url
        return PathText.lastComponent(path)
    }

    /// `url` followed by the mirrors.
    public var sources: [String] { [url] + mirrors }
}

/// A dataset that a person must request and place by hand.
public struct ManualAccess: Codable, Sendable, Equatable {
    public var form: String
    public var instructions: String
    public var expect: [ExpectedFile]

    enum CodingKeys: String, CodingKey, CaseIterable { case form, instructions, expect }

    public init(form: String, instructions: String, expect: [ExpectedFile]) {
        self.form = form
        self.instructions = instructions
        self.expect = expect
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        form = try c.decode(String.self, forKey: .form)
        instructions = try c.decode(String.self, forKey: .instructions)
        expect = try c.decodeIfPresent([ExpectedFile].self, forKey: .expect) ?? []
    }
}

/// A file a person places under the dataset's `downloads/` folder.
public struct ExpectedFile: Codable, Sendable, Equatable {
    public var path: String
    public var sha256: String?
    public var extract: ExtractMode

    enum CodingKeys: String, CodingKey, CaseIterable { case path, sha256, extract }

    public init(path: String, sha256: String? = nil, extract: ExtractMode = .auto) {
        self.path = path
        self.sha256 = sha256
        self.extract = extract
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)?.lowercased()
        extract = try c.decodeIfPresent(ExtractMode.self, forKey: .extract) ?? .auto
    }
}
