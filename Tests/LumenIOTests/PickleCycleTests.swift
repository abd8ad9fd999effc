import Foundation
@testable import LumenIO
import Testing

/// Found by `scripts/fuzz.sh pickle` (LeakSanitizer; seed `Fuzz/seeds/pickle/leak-list-appended-to-itself`):
/// lists and dicts are references, so a pickle can put one inside itself, and
/// reference counting never freed the cycle.
@Suite struct PickleCycleTests {
    private static let list = PickleBytes().proto().op(0x5D).op(0x71, [0])  // EMPTY_LIST, BINPUT 0
    private static let dict = PickleBytes().proto().op(0x7D).op(0x71, [0])  // EMPTY_DICT, BINPUT 0

    /// Cycles through APPEND, APPENDS, a second list, a dict value and a tuple.
    private static let cycles = [
        list.op(0x68, [0]).op(0x61),                                 // BINGET 0, APPEND
        list.mark().op(0x68, [0]).op(0x65),                          // APPENDS
        list.op(0x5D).op(0x68, [0]).op(0x61).op(0x61),               // via another list
        dict.string("k").op(0x68, [0]).setItem(),                    // the dict as its own value
        dict.mark().string("k").op(0x68, [0]).tuple1().setItems(),   // inside a tuple value
    ]

    @Test func releasedContainersFreeTheirCycles() throws {
        for pickle in Self.cycles {
            weak var container: AnyObject?
            do {
                let containers = PickleContainers()
                var machine = PickleMachine(bytes: Data(pickle.stop().bytes), file: "x.pkl", containers: containers)
                container = switch try machine.nextPickle() {
                case .list(let list): list
                case .dict(let dict): dict
                default: nil
                }
                #expect(container != nil)
                containers.release()
            }
            #expect(container == nil, "still alive after release: \(pickle.bytes)")
        }
    }

    @Test func checkpointsWithCyclesAreRefused() throws {
        for pickle in Self.cycles.dropFirst(3) {
            #expect(throws: CheckpointError.notAStateDict(
                file: "x.pth", reason: "neither the saved dict nor any dict inside it holds only tensors")) {
                try TorchCheckpoint.decode(CheckpointFormat.zip.checkpoint(pickle.stop()), name: "x.pth")
            }
        }
    }
}
