import Synchronization

/// A value shared between a test and the threads it starts, behind a `Mutex`.
public final class Locked<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>
    public init(_ value: Value) { stored = Mutex(value) }
    public var value: Value { stored.withLock { $0 } }
    public func update(_ change: (inout Value) -> Void) { stored.withLock { change(&$0) } }
}
