import Foundation
import LumenNN
import LumenTensor
import Testing

/// Values loaded from files are range-checked: a NaN weight used to give all-black
/// images with exit status 0, and a NaN or huge optimiser step trapped on resume.
@Suite struct LoadedValueValidationTests {
    /// A model and its Adam optimiser after one step, so that every state field exists.
    private func steppedAdam() -> (TinyNet, Adam) {
        let model = TinyNet()
        var adam = Adam(parameters: model.parameters(), learningRate: 1e-3)
        (model(Tensor(zeros: [1, 3, 4, 4]) + 0.5).mean()).backward()
        adam.step()
        return (model, adam)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreRefusedAndTheModuleKept(bad: Float) throws {
        let model = TinyNet(), before = model.stateDict().map { $0.tensor.scalars }
        var state = TinyNet(seed: 9).stateDict()
        var scalars = try #require(state["head.layers.2.bias"]).scalars
        scalars[1] = bad
        state["head.layers.2.bias"] = Tensor(shape: [3], scalars: scalars)
        let error = try #require(throws: StateDictError.self) { try model.load(state) }
        guard case .nonFinite(key: "head.layers.2.bias", index: 1, value: let value) = error, value.isNaN == bad.isNaN else {
            Issue.record("\(error)")
            return
        }
        #expect(error.localizedDescription.contains("head.layers.2.bias: element 1 is"))
        #expect(model.stateDict().map { $0.tensor.scalars } == before, "nothing was copied")
    }

    @Test(arguments: [Float.nan, .infinity, 1e30, 2.5, -1])
    func adamStepCountsMustBeWholeAndInRange(step: Float) throws {
        let (model, adam) = steppedAdam()
        var state = adam.state()
        let key = try #require(state.keys.first { $0.hasSuffix(".step") })
        state[key] = Tensor(step)
        var fresh = Adam(parameters: model.parameters(), learningRate: 1e-3)
        let error = try #require(throws: StateDictError.self) { try fresh.load(state: state) }
        switch error {
        case .outOfRange(key: key, _), .nonFinite(key: key, _, _): break
        default: Issue.record("\(error)")
        }
        #expect(throws: Never.self) { try fresh.load(state: adam.state()) }
    }

    @Test func nonFiniteMomentsAreRefused() throws {
        var (_, adam) = steppedAdam()
        var state = adam.state()
        let key = try #require(state.keys.first { $0.hasSuffix(".secondMoment") })
        let shape = try #require(state[key]).shape
        state[key] = Tensor(shape: shape, scalars: [Float](repeating: .nan, count: shape.elementCount))
        let error = try #require(throws: StateDictError.self) { try adam.load(state: state) }
        guard case .nonFinite(key: key, index: 0, _) = error else { Issue.record("\(error)"); return }
    }
}
