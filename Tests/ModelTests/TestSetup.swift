@testable import Model

/// The model leaves OpenBLAS's process-wide thread count to its caller; the tests choose what the
/// executables choose (one OpenBLAS thread inside the model's own pool). Idempotent.
func singleThreadedBLAS() { BLASThreads.set(1) }
