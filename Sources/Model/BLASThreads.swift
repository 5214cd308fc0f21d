import COpenBLAS

/// OpenBLAS's thread pool size (the model's only source of parallelism).
public enum BLASThreads {
    public static func set(_ count: Int) { openblas_set_num_threads(Int32(count)) }
    public static var count: Int { Int(openblas_get_num_threads()) }
}
