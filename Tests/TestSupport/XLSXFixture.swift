import Foundation

/// Builds small Excel .xlsx files for tests: the XML parts a spreadsheet program writes, zipped with bsdtar.
public enum XLSXFixture {
    /// One sheet of `rows`: numbers as numeric cells, other text as shared strings (the way Excel stores
    /// them), and `inline` cells as inline strings.
    public static func write(_ rows: [[String]], to file: URL, inline: Set<String> = []) throws {
        let parts = try TemporaryFolder("biomech-xlsx")
        var shared: [String] = []
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var sheetRows = ""
        for (r, row) in rows.enumerated() {
            var cells = ""
            for (c, text) in row.enumerated() where !text.isEmpty {
                let ref = column(c) + String(r + 1)
                if Double(text) != nil {
                    cells += "<c r=\"\(ref)\"><v>\(text)</v></c>"
                } else if inline.contains(text) {
                    cells += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(escape(text))</t></is></c>"
                } else {
                    if !shared.contains(text) { shared.append(text) }
                    cells += "<c r=\"\(ref)\" t=\"s\"><v>\(shared.firstIndex(of: text)!)</v></c>"
                }
            }
            sheetRows += "<row r=\"\(r + 1)\">\(cells)</row>"
        }
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try parts.write("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
        try parts.write("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        try parts.write("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/data.xml\"/></Relationships>")
        try parts.write("xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"\(ns)\" count=\"\(shared.count)\">"
                        + shared.map { "<si><t>\(escape($0))</t></si>" }.joined() + "</sst>")
        try parts.write("xl/worksheets/data.xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"\(ns)\"><sheetData>\(sheetRows)</sheetData></worksheet>")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Members named as Excel names them ("xl/workbook.xml", not "./xl/workbook.xml").
        try Tools.require("bsdtar", ["--format", "zip", "-cf", file.path, "-C", parts.path, "[Content_Types].xml", "xl"])
    }

    /// Column 0 is A, 26 is AA.
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 { let r = (n - 1) % 26; name = String(UnicodeScalar(65 + r)!) + name; n = (n - 1) / 26 }
        return name
    }
}
