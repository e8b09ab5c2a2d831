import Dispatch
import Synchronization

/// Maps `body` over `items` on up to `jobs` threads. Each result lands at its
/// item's index, so the output order never depends on `jobs` or timing.
package func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], jobs: Int, _ body: @Sendable (T) -> R
) -> [R] {
    let workers = max(1, min(jobs, items.count))
    if workers == 1 { return items.map(body) }
    let results = ResultSlots<R>(count: items.count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < items.count else { return }
            results.store(body(items[index]), at: index)
        }
    }
    return results.values()
}

/// Write-once slots filled by distinct workers at distinct indices.
private final class ResultSlots<R>: @unchecked Sendable {
    private var slots: [R?]
    private let lock = Mutex(())

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: R, at index: Int) {
        lock.withLock { _ in slots[index] = value }
    }

    func values() -> [R] { slots.map { $0! } }
}
