/// Every list and dict that ``PickleMachine`` creates for one file, emptied when
/// the reader is done with the unpickled objects.
///
/// Lists and dicts are references, as in Python, so a pickle can put one inside
/// itself (`EMPTY_LIST BINPUT 0 BINGET 0 APPEND`) or two inside each other.
/// Python's garbage collector frees such a cycle; reference counting would leak
/// it on every hostile file. No state dictionary holds a cycle, but finding one
/// takes a walk that memo-shared tuples can make exponential, so instead the
/// owner of the objects calls ``release()``, which breaks every cycle in linear
/// time whether reading succeeded or threw.
final class PickleContainers {
    private var containers: [PickleValue] = []

    /// A new empty list, owned by this collection.
    func list() -> PickleValue { owned(.list(PickleList())) }

    /// A new empty dict, owned by this collection.
    func dict() -> PickleValue { owned(.dict(PickleDict())) }

    /// Empties every container. All of them are still held here while their
    /// contents go, so no container is freed from inside another (no recursion).
    func release() {
        for container in containers {
            switch container {
            case .list(let list): list.removeAll()
            case .dict(let dict): dict.removeAll()
            default: preconditionFailure("only lists and dicts are owned")
            }
        }
        containers = []
    }

    private func owned(_ container: PickleValue) -> PickleValue {
        containers.append(container)
        return container
    }
}
