/// The skeleton graph the model's graph layers run on: MediaPipe's connections plus four bridges.
///
/// MediaPipe's 35 `POSE_CONNECTIONS` leave the face (eyes, ears, nose) and the mouth as separate
/// components from the body; the bridges join nose to both mouth corners and both shoulders, so
/// information flows across one connected graph of 33 nodes and 39 edges.
public enum SkeletonGraph {
    /// MediaPipe Pose's `POSE_CONNECTIONS`, in MediaPipe's order.
    public static let poseConnections: [(Int, Int)] = [
        (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10), (11, 12), (11, 13), (13, 15),
        (15, 17), (15, 19), (15, 21), (17, 19), (12, 14), (14, 16), (16, 18), (16, 20), (16, 22), (18, 20),
        (11, 23), (12, 24), (23, 24), (23, 25), (24, 26), (25, 27), (26, 28), (27, 29), (28, 30), (29, 31),
        (30, 32), (27, 31), (28, 32),
    ]

    /// Nose to each mouth corner and to each shoulder.
    public static let bridges: [(Int, Int)] = [(0, 9), (0, 10), (0, 11), (0, 12)]

    /// All 39 undirected edges.
    public static let edges: [(Int, Int)] = poseConnections + bridges

    /// Neighbour lists, one per landmark.
    public static let neighbours: [[Int]] = {
        var lists = Array(repeating: [Int](), count: Landmark.count)
        for (a, b) in edges {
            lists[a].append(b)
            lists[b].append(a)
        }
        return lists
    }()

    /// `D^-1/2 (A + I) D^-1/2`, row-major [33 x 33]: the graph convolution's normalized adjacency.
    public static func normalizedAdjacency() -> [Double] {
        let v = Landmark.count
        var a = [Double](repeating: 0, count: v * v)
        for i in 0..<v { a[i * v + i] = 1 }
        for (i, j) in edges {
            a[i * v + j] = 1
            a[j * v + i] = 1
        }
        let degree = (0..<v).map { i in (0..<v).reduce(0.0) { $0 + a[i * v + $1] } }
        for i in 0..<v { for j in 0..<v { a[i * v + j] /= (degree[i] * degree[j]).squareRoot() } }
        return a
    }
}
