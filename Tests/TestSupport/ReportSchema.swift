import Foundation

/// docs/REPORT.md's JSON Schema, checked with Python's jsonschema (installed by `make setup`).
public enum ReportSchema {
    /// The JSON Schema block of docs/REPORT.md.
    public static func text() throws -> String {
        let doc = try String(contentsOf: MediaPipeFixture.root.appendingPathComponent("docs/REPORT.md"), encoding: .utf8)
        guard let begin = doc.range(of: "<!-- schema:begin -->\n```json\n"), let end = doc.range(of: "```\n<!-- schema:end -->") else {
            throw FixtureError("docs/REPORT.md has no schema block between its markers")
        }
        return String(doc[begin.upperBound..<end.lowerBound])
    }

    /// Validates `report` (a JSON file) against the schema; returns jsonschema's complaint, or nil when it is valid.
    public static func problem(_ report: URL, in folder: TemporaryFolder) throws -> String? {
        let schema = try folder.write("schema.json", try text())
        let script = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); report = json.load(open(sys.argv[2]))
        jsonschema.Draft202012Validator.check_schema(schema)
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path))
        for e in errors: print("/".join(map(str, e.path)), e.message)
        sys.exit(1 if errors else 0)
        """
        let result = try Tools.run(MediaPipeFixture.referencePython.path, ["-c", script, schema.path, report.path])
        return result.status == 0 ? nil : result.all
    }
}
