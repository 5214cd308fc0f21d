import COpenBLAS

/// OpenBLAS's own thread pool size.
///
/// The model runs its own threads (`WorkerPool`) and wants OpenBLAS single-threaded inside each
/// of them; a bare sgemm (the benchmark's peak figure) uses OpenBLAS's threads.
public enum BLASThreads {
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(count)) }
    public static var count: Int { Int(openblas_get_num_threads()) }
    /// The kernel family OpenBLAS chose at load time (e.g. "SkylakeX"; "Prescott" means SSE3 only).
    public static var core: String { String(cString: openblas_get_corename()) }
}
