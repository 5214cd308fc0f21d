import Foundation
import Testing
import TestSupport

/// Every answer the tests received, checked against the service's OpenAPI document at the end of each test.
final class Recorder: @unchecked Sendable {
    static let shared = Recorder()
    private let lock = NSLock()
    private var answers: [[String: Any]] = []

    func record(method: String, path: String, answer: ServerFixture.Answer) {
        var entry: [String: Any] = ["method": method.lowercased(), "path": String(path.split(separator: "?").first ?? ""),
                                    "status": answer.status, "type": answer.headers.first(name: "Content-Type") ?? ""]
        if (answer.headers.first(name: "Content-Type") ?? "").hasPrefix("application/json") {
            entry["body"] = (try? JSONSerialization.jsonObject(with: answer.body)) ?? answer.text
        }
        lock.withLock { answers.append(entry) }
    }

    /// Takes the answers recorded so far (so each test checks its own).
    func take() -> [[String: Any]] { lock.withLock { defer { answers = [] }; return answers } }
}

/// The OpenAPI document the service serves, and a check of real answers against it (Python's jsonschema).
enum OpenAPICheck {
    /// The committed document (`GET /openapi.json` serves these bytes: a test checks it).
    static var document: Data {
        get throws { try Data(contentsOf: MediaPipeFixture.root.appendingPathComponent("Sources/Service/openapi.json")) }
    }

    /// Checks the answers recorded since the last check against the document.
    static func expectValid(in folder: TemporaryFolder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problem = try problem(Recorder.shared.take(), document: try document, in: folder)
        #expect(problem == nil, "answers that do not match the OpenAPI document:\n\(problem ?? "")", sourceLocation: sourceLocation)
    }

    /// Validates `answers` against `document`: each (path, method, status, content type) must be documented,
    /// and each JSON body must match its schema. Returns the complaints, or nil.
    static func problem(_ answers: [[String: Any]], document: Data, in folder: TemporaryFolder) throws -> String? {
        guard !answers.isEmpty else { return nil }
        let doc = try folder.write("openapi-\(UUID().uuidString.prefix(6)).json", document)
        let list = try folder.write("answers-\(UUID().uuidString.prefix(6)).json", try JSONSerialization.data(withJSONObject: answers))
        let script = #"""
        import json, re, sys
        import jsonschema, referencing
        from referencing.jsonschema import DRAFT202012
        doc = json.load(open(sys.argv[1])); answers = json.load(open(sys.argv[2]))
        registry = referencing.Registry().with_resource("urn:openapi", referencing.Resource.from_contents(doc, default_specification=DRAFT202012))
        def template(path):
            for t in doc["paths"]:
                if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", re.escape(t).replace(r"\{", "{").replace(r"\}", "}")), path): return t
        def esc(s): return s.replace("~", "~0").replace("/", "~1")
        problems = []
        for a in answers:
            t = template(a["path"])
            if t is None: problems.append(f"{a['path']}: not in the document"); continue
            op = doc["paths"][t].get(a["method"])
            if op is None: problems.append(f"{a['method']} {t}: not in the document"); continue
            status = str(a["status"])
            if status not in op["responses"]: problems.append(f"{a['method']} {t}: status {status} not documented"); continue
            content = op["responses"][status].get("content", {})
            ctype = a["type"].split(";")[0].strip()
            if ctype not in content: problems.append(f"{a['method']} {t} {status}: content type {ctype!r} not documented ({list(content)})"); continue
            if "body" in a:
                pointer = "/".join(["#", "paths", esc(t), a["method"], "responses", status, "content", esc(ctype), "schema"])
                validator = jsonschema.Draft202012Validator({"$ref": "urn:openapi" + pointer}, registry=registry)
                for e in validator.iter_errors(a["body"]):
                    problems.append(f"{a['method']} {a['path']} {status}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
        print("\n".join(problems)); sys.exit(1 if problems else 0)
        """#
        let result = try Tools.run(MediaPipeFixture.referencePython.path, ["-c", script, doc.path, list.path])
        return result.status == 0 ? nil : result.all
    }
}
