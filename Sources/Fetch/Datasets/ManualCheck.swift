import Datasets
import BiomechCore
import Foundation

/// Checks the files a person must place for a manual dataset, and says exactly what is missing.
struct ManualCheck {
    enum Status {
        case present(LocalFile)
        case missing
        case wrong(expected: String, actual: String)

        var word: String {
            switch self {
            case .present: return "present"
            case .missing: return "missing"
            case .wrong: return "wrong"
            }
        }
    }

    let folder: DatasetFolder
    let verify: Bool

    /// Each expected file's status, in manifest order.
    func check(_ manual: ManualAccess, previous: Receipt?) throws -> [(ExpectedFile, Status)] {
        try manual.expect.map { expected in
            let url = folder.downloads.appendingPathComponent(expected.path)
            let old = previous?.files.first { $0.path == "downloads/" + expected.path }
            guard let local = try LocalFile.inspect(url, previous: old, verify: verify) else { return (expected, .missing) }
            if let sha = expected.sha256, sha != local.sha256 { return (expected, .wrong(expected: sha, actual: local.sha256)) }
            return (expected, .present(local))
        }
    }

    /// The message printed while files are missing or wrong: who to ask and where to put what.
    func instructions(_ manifest: Manifest, _ manual: ManualAccess, _ results: [(ExpectedFile, Status)]) -> String {
        var lines = [
            "\(manifest.name): needs files placed by hand (\(manifest.title))",
            "  request access: \(manual.form)",
            "  licence: \(manifest.license)\(manifest.commercialUse ? "" : " (no commercial use)")",
        ]
        lines += manual.instructions.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false).map { "  | " + $0 }
        lines.append("  put the files here:")
        for (expected, status) in results {
            let path = folder.downloads.appendingPathComponent(expected.path).path
            switch status {
            case .present: lines.append("    present  \(path)")
            case .missing: lines.append("    MISSING  \(path)")
            case let .wrong(sha, actual):
                lines.append("    WRONG    \(path) (sha256 \(actual), expected \(sha))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
