import BiomechCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first worksheet of an Excel `.xlsx` file, as rows of cell text (office open XML, ECMA-376).
///
/// An .xlsx is a zip: `xl/workbook.xml` lists the sheets, `xl/_rels/workbook.xml.rels` names each
/// sheet's part, the sheet's `<c r="B2" t="s"><v>3</v></c>` cells hold numbers, booleans, inline
/// strings or indexes into `xl/sharedStrings.xml`. Formulas count by their cached value. Whole
/// numbers are written without a decimal point ("1", not "1.0"), as a spreadsheet shows them.
public struct Spreadsheet: Sendable, Equatable {
    /// Rows in order, each as long as its last non-empty cell; missing cells are "".
    public var rows: [[String]]

    public init(rows: [[String]]) { self.rows = rows }

    /// The most bytes one XML part may unpack to.
    public static let maximumPartBytes = 64 << 20

    /// A file that is not a readable .xlsx; names it.
    public struct ReadError: Error, CustomStringConvertible {
        public var file: String, message: String
        public var description: String { "\(file): \(message)" }
    }

    /// Reads the first worksheet of the .xlsx at `url`; a part may unpack to `maximumPartBytes` at most.
    ///
    /// From the file, not from memory: ZIPFoundation 0.9.20 leaks its in-memory archive (and the
    /// bytes) when they are not a zip, which the fuzzer found.
    public static func read(_ url: URL, maximumPartBytes: Int = maximumPartBytes) throws -> Spreadsheet {
        let file = url.path
        func fail(_ message: String) -> ReadError { ReadError(file: file, message: message) }
        guard FileManager.default.isReadableFile(atPath: file) else { throw fail("cannot read the file (missing or not readable)") }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw fail("not an .xlsx file (not a zip archive)") }
        func part(_ path: String) throws -> Data? {
            guard let data = try unpack(path) else { return nil }
            if let problem = Self.unsafeMarkup(in: data) { throw fail("\(path): \(problem)") }
            return data
        }
        // The whole file in memory (spreadsheets are small) so that a part's input is bounded (ZipPart).
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size <= maximumPartBytes,
              let bytes = FileManager.default.contents(atPath: file).map({ [UInt8]($0) }) else {
            throw fail("cannot read the file, or it is larger than \(Format.bytes(Int64(maximumPartBytes)))")
        }
        func unpack(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            do { return try ZipPart.unpack(path, compressedSize: entry.compressedSize, from: bytes, limit: maximumPartBytes) } catch {
                throw fail("cannot unpack \(error)")
            }
        }
        guard let workbook = try part("xl/workbook.xml") else { throw fail("not an .xlsx file (no xl/workbook.xml)") }
        let first = XMLElements(workbook, names: ["sheet"]).elements.first
        var sheetPath = "xl/worksheets/sheet1.xml"
        if let id = first?.attributes["r:id"], let rels = try part("xl/_rels/workbook.xml.rels"),
           let target = XMLElements(rels, names: ["Relationship"]).elements.first(where: { $0.attributes["Id"] == id })?.attributes["Target"] {
            sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try part("xl/sharedStrings.xml").map { SharedStrings($0).strings } ?? []
        guard let sheet = try part(sheetPath) else { throw fail("the first sheet's part \(sheetPath) is missing") }
        let cells = SheetCells(sheet)
        if let error = cells.error { throw fail("\(sheetPath): not well-formed XML (\(error))") }
        var rows: [[String]] = []
        for cell in cells.cells {
            guard let (row, column) = Self.position(cell.reference) else { throw fail("\(sheetPath): bad cell reference '\(cell.reference)'") }
            var text = cell.value
            switch cell.type {
            case "s":
                guard let i = Int(text), shared.indices.contains(i) else { throw fail("\(sheetPath): cell \(cell.reference) names shared string \(text), which does not exist") }
                text = shared[i]
            case "inlineStr": text = cell.inline
            case "b": text = text == "1" ? "TRUE" : "FALSE"
            case "str", "e": break
            default: if let d = Double(text), d == d.rounded(), abs(d) < 1e15 { text = String(Int(d)) }
            }
            while rows.count <= row { rows.append([]) }
            while rows[row].count <= column { rows[row].append("") }
            rows[row][column] = text
        }
        return Spreadsheet(rows: rows)
    }

    /// Why `xml` must not reach Foundation's XMLParser, or nil: spreadsheet parts hold elements
    /// only, after an optional `<?xml ...?>` declaration.
    ///
    /// A processing instruction without data (`<?x?>`) makes swift-corelibs-foundation's parser
    /// call strlen on NULL and kill the process (found by FuzzSpreadsheet), and a DTD could expand
    /// entities; neither occurs in an .xlsx, so both are refused before parsing.
    static func unsafeMarkup(in xml: Data) -> String? {
        let bytes = [UInt8](xml)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }   // UTF-8 byte order mark
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        let declaration = Array("<?xml".utf8)
        var i = start
        if bytes[start...].starts(with: declaration), let end = Self.find(Array("?>".utf8), in: bytes, from: start) { i = end + 2 }
        if Self.find(Array("<?".utf8), in: bytes, from: i) != nil { return "holds a processing instruction (expected elements only)" }
        if Self.find(Array("<!DOCTYPE".utf8), in: bytes, from: 0) != nil || Self.find(Array("<!ENTITY".utf8), in: bytes, from: 0) != nil {
            return "holds a document type declaration (expected elements only)"
        }
        return nil
    }

    /// The index of the first occurrence of `needle` in `bytes` at or after `from`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count, from <= bytes.count - needle.count else { return nil }
        var i = from
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// "B12" as (row 11, column 1), zero-based.
    static func position(_ reference: String) -> (Int, Int)? {
        var column = 0, digits = ""
        for c in reference.uppercased() {
            if let a = c.asciiValue, (65...90).contains(a), digits.isEmpty { column = column * 26 + Int(a - 64) }
            else if c.isNumber { digits.append(c) } else { return nil }
        }
        guard column > 0, let row = Int(digits), row > 0 else { return nil }
        return (row - 1, column - 1)
    }
}

/// The attributes of every element with one of `names`.
private final class XMLElements: NSObject, XMLParserDelegate {
    struct Element { var attributes: [String: String] }
    let names: Set<String>
    var elements: [Element] = []

    init(_ data: Data, names: Set<String>) {
        self.names = names
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.parse()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if names.contains(name) { elements.append(Element(attributes: attributes)) }
    }
}

/// `<si>` items of sharedStrings.xml, each the text of its `<t>` runs (phonetic `<rPh>` runs left out).
private final class SharedStrings: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current: String?, inText = false, phonetic = 0

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parser.parse()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current? += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current ?? ""); current = nil
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// The `<c>` cells of a worksheet: reference, type, `<v>` value and inline `<is><t>` text.
private final class SheetCells: NSObject, XMLParserDelegate {
    struct Cell { var reference: String, type: String, value = "", inline = "" }
    var cells: [Cell] = []
    var error: String?
    private var current: Cell?, field: String?

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        if !parser.parse() { error = parser.parserError.map { "\($0.localizedDescription)" } ?? "parse failed" }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "c": current = Cell(reference: attributes["r"] ?? "", type: attributes["t"] ?? "n")
        case "v": field = "v"
        case "t": if current != nil { field = "t" }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch field {
        case "v": current?.value += string
        case "t": current?.inline += string
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "c": if let cell = current { cells.append(cell) }; current = nil
        case "v", "t": field = nil
        default: break
        }
    }
}
