import Analysis
import XCTest

final class ConcernTableTests: XCTestCase {
    func testListsReadAsEnglish() {
        XCTAssertEqual(ConcernTable.list([2]), "2")
        XCTAssertEqual(ConcernTable.list([2, 4]), "2 and 4")
        XCTAssertEqual(ConcernTable.list([1, 2, 4]), "1, 2 and 4")
    }
}
