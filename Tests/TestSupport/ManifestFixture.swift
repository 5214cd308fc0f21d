import Foundation

/// Writes dataset manifests for tests: the required header keys plus the given sections.
public enum ManifestFixture {
    /// Writes `manifests/NAME.yaml` under `folder` with `body` (YAML for files/manual/youtube) after the header.
    @discardableResult
    public static func write(in folder: TemporaryFolder, name: String, access: String = "http", body: String) throws -> URL {
        try folder.write("manifests/\(name).yaml", """
        name: \(name)
        title: Test \(name)
        homepage: https://example.org/\(name)
        license: "CC BY 4.0"
        commercial_use: false
        access: \(access)

        """ + body)
    }
}
