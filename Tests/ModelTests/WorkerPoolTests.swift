@testable import Model
import Testing

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 4])
    func runsEveryTaskOnceOnItsThread(size: Int) {
        let pool = WorkerPool(size: size)
        for count in [0, 1, 3, 8] {
            var runs = [Int](repeating: 0, count: count), threads = [UInt](repeating: 0, count: count)
            runs.withUnsafeMutableBufferPointer { runs in
                threads.withUnsafeMutableBufferPointer { threads in
                    pool.run(tasks: count) { i in
                        runs[i] += 1
                        threads[i] = pthread_self()
                    }
                }
            }
            #expect(runs.allSatisfy { $0 == 1 }, "\(count) tasks on \(size) threads: \(runs)")
            // Task i runs on thread i % size: tasks that share a residue share a thread, others do not.
            for i in 0..<count { for j in 0..<count where count > 1 {
                #expect((threads[i] == threads[j]) == (i % size == j % size || size == 1))
            } }
        }
    }

    @Test func rangesCoverTheCountInOrder() {
        let pool = WorkerPool(size: 3)
        #expect(pool.ranges(10) == [0..<3, 3..<6, 6..<10])
        #expect(pool.ranges(2) == [0..<1, 1..<2])
    }
}

#if canImport(Glibc)
import Glibc
#endif
