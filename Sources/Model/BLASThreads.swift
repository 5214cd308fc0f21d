import COpenBLAS

/// OpenBLAS's own thread pool size: process-wide state, set only by the caller.
///
/// Nothing in this module sets it. The model runs its own threads (`WorkerPool`) and is fastest
/// with OpenBLAS single-threaded inside them, so executables call `BLASThreads.set(1)` before
/// training or inference; a bare sgemm (the benchmark's peak figure) wants OpenBLAS's threads.
public enum BLASThreads {
    /// Sets OpenBLAS's thread count for the whole process (`openblas_set_num_threads`).
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(clamping: max(1, count))) }
    /// OpenBLAS's current thread count.
    public static var count: Int { Int(openblas_get_num_threads()) }
    /// The kernel family OpenBLAS chose at load time (e.g. "SkylakeX"; "Prescott" means SSE3 only).
    public static var core: String { String(cString: openblas_get_corename()) }
}
