import BiomechCore
import Datasets
import Foundation
import Testing
import TestSupport

@Suite struct ManifestTests {
    static let valid = """
    name: demo
    title: Demo
    homepage: https://example.org
    license: "CC BY 4.0"
    commercial_use: true
    access: http
    files:
      - url: https://example.org/data/demo.tar.gz
        mirrors: [https://mirror.example.org/demo.tar.gz]
        sha256: \(String(repeating: "ab", count: 32))
        size: 1234
        extract: auto
      - url: https://example.org/labels.csv?download=1
        filename: labels.csv
        unpinned: true
        extract: none
    """

    func parse(_ text: String, file: String = "/m/demo.yaml") throws -> Manifest {
        try ManifestLoader.parse(text, file: file)
    }

    func error(_ text: String, file: String = "/m/demo.yaml") -> ConfigurationError? {
        do {
            _ = try parse(text, file: file)
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test func decodesEveryField() throws {
        let m = try parse(Self.valid)
        #expect(m.name == "demo")
        #expect(m.commercialUse)
        #expect(m.access == .http)
        #expect(m.files.count == 2)
        #expect(m.files[0].sources == ["https://example.org/data/demo.tar.gz", "https://mirror.example.org/demo.tar.gz"])
        #expect(m.files[0].size == 1234)
        #expect(m.files[0].savedName == "demo.tar.gz")
        #expect(m.files[1].savedName == "labels.csv")
        #expect(m.files[1].unpinned && m.files[1].sha256 == nil && m.files[1].extract == .none)
    }

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let text = Self.valid.replacingOccurrences(of: "    size: 1234", with: "    sha265: abc")
        let e = try #require(error(text))
        #expect(e.file == "/m/demo.yaml")
        #expect(e.line == 11)
        #expect(e.key == "files[0].sha265")
        #expect(e.description.contains("unknown key"))
        #expect(e.description.contains("sha256"))
        #expect(e.exitCode == 2)
    }

    @Test func unknownTopLevelKey() throws {
        let e = try #require(error(Self.valid + "\nmirror: x\n"))
        #expect(e.key == "mirror")
        #expect(e.line == 17)
    }

    @Test func missingChecksumNeedsUnpinned() throws {
        let text = Self.valid.replacingOccurrences(of: "    sha256: \(String(repeating: "ab", count: 32))\n", with: "")
        let e = try #require(error(text))
        #expect(e.key == "files[0]")
        #expect(e.line == 8)
        #expect(e.message.contains("unpinned: true"))
    }

    @Test func badChecksum() throws {
        let text = Self.valid.replacingOccurrences(of: String(repeating: "ab", count: 32), with: "xyz")
        let e = try #require(error(text))
        #expect(e.key == "files[0].sha256")
        #expect(e.line == 10)
    }

    @Test func nameMustEqualFileStem() throws {
        let e = try #require(error(Self.valid, file: "/m/other.yaml"))
        #expect(e.key == "name")
        #expect(e.line == 1)
        #expect(e.message.contains("other"))
    }

    @Test func badEnumValueListsChoices() throws {
        let e = try #require(error(Self.valid.replacingOccurrences(of: "access: http", with: "access: ftp")))
        #expect(e.key == "access")
        #expect(e.line == 6)
        #expect(e.message.contains("http, manual, youtube, generated"))
    }

    @Test func missingRequiredKey() throws {
        let e = try #require(error(Self.valid.replacingOccurrences(of: "title: Demo\n", with: "")))
        #expect(e.key == "title")
        #expect(e.message.contains("missing"))
    }

    @Test func wrongType() throws {
        let e = try #require(error(Self.valid.replacingOccurrences(of: "commercial_use: true", with: "commercial_use: maybe")))
        #expect(e.key == "commercial_use")
        #expect(e.line == 5)
    }

    @Test func yamlSyntaxErrorHasLine() throws {
        let e = try #require(error("name: demo\ntitle: [unclosed\nhomepage: x\n"))
        #expect(e.line != nil)
        #expect(e.message.contains("invalid YAML"))
    }

    @Test func accessNeedsItsSection() throws {
        let manual = Self.valid.replacingOccurrences(of: "access: http", with: "access: manual")
        #expect(error(manual)?.key == "manual")
        let youtube = Self.valid.replacingOccurrences(of: "access: http", with: "access: youtube")
        #expect(error(youtube)?.key == "youtube")
    }

    @Test func manualExpectPathsStayInside() throws {
        let text = """
        name: demo
        title: Demo
        homepage: https://example.org
        license: x
        commercial_use: false
        access: manual
        manual:
          form: https://example.org/form
          instructions: ask
          expect:
            - path: ../escape.zip
        """
        let e = try #require(error(text))
        #expect(e.key == "manual.expect[0].path")
        #expect(e.line == 11)
    }

    @Test func duplicateSavedNamesRejected() throws {
        let text = Self.valid.replacingOccurrences(of: "https://example.org/labels.csv?download=1\n    filename: labels.csv",
                                                   with: "https://other.org/demo.tar.gz")
        #expect(error(text)?.message.contains("demo.tar.gz") == true)
    }

    /// Every manifest shipped in `manifests/` loads.
    @Test func shippedManifestsLoad() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../manifests").standardized
        let loaded = try ManifestLoader.loadAll(from: folder)
        let names = Set(loaded.map(\.manifest.name))
        #expect(names.isSuperset(of: ["fitness-aqa", "countix", "repcount", "mm-fit", "kaggle-workoutfitness-video", "synthetic",
                                      "flex", "alex-gym-1", "qevd"]))
        for name in ["flex", "alex-gym-1", "qevd"] {
            let m = try #require(loaded.first { $0.manifest.name == name }?.manifest)
            #expect(m.access == .manual && m.manual?.expect.isEmpty == false && !m.commercialUse, "\(name)")
            #expect(m.notes?.contains("Not confirmed") == true, "\(name) says what is unconfirmed")
        }
        let countix = try #require(loaded.first { $0.manifest.name == "countix" }?.manifest)
        #expect(countix.access == .youtube)
        #expect(countix.files.first?.url == "https://s3.amazonaws.com/kinetics/700_2020/annotations/countix.tar.gz")
        #expect(countix.youtube?.idColumn == "video_id")
        #expect(loaded.first { $0.manifest.name == "fitness-aqa" }?.manifest.manual?.form == "https://forms.gle/PbPTX1eVxGpa3QG88")
    }
}
