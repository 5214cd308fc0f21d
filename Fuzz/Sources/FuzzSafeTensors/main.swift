import Foundation
import Model

// libFuzzer calls this once per input: thrown errors are the parser doing its job, traps are bugs.
// The table is tiny (gcn 2-2-2, embed 2, hidden 1: 407 parameters) so valid seeds stay small.
let table: ParameterTable = {
    var config = ModelConfig()
    config.gcnWidths = [2, 2, 2]
    config.embed = 2
    config.hidden = 1
    return ParameterTable(config)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    if let params = try? SafeTensors.decode(data, table: table, path: "fuzz-input") {
        precondition(params.count == table.count && params.allSatisfy(\.isFinite), "accepted weights must fill the table with finite values")
    }
    return 0
}
