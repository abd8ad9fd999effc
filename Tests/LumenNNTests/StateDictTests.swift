import Foundation
import LumenNN
import LumenTensor
import Testing

/// A small model with nested modules, optional parameters and buffers.
final class TinyNet: Module, @unchecked Sendable {
    let conv: Conv2d
    let norm: BatchNorm2d
    let head: Sequential

    init(width: Int = 4, kernelSize: Pair = 3, seed: UInt64 = 0) {
        var generator = SplitMix64(seed: seed)
        conv = Conv2d(inputChannels: 3, outputChannels: width, kernelSize: kernelSize, padding: 1, using: &generator)
        norm = BatchNorm2d(featureCount: width)
        head = Sequential(
            Conv2d(inputChannels: width, outputChannels: 2, kernelSize: 1, bias: false, using: &generator),
            ReLU(),
            Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 1, using: &generator))
    }

    func callAsFunction(_ x: Tensor) -> Tensor { head(norm(conv(x))) }
}

@Suite struct StateDictTests {
    @Test func parameterAndBufferKeys() {
        let model = TinyNet()
        #expect(model.parameters().map(\.key) == [
            "conv.weight", "conv.bias", "norm.weight", "norm.bias",
            "head.layers.0.weight", "head.layers.2.weight", "head.layers.2.bias",
        ])
        #expect(model.buffers().map(\.key) == ["norm.runningMean", "norm.runningVariance"])
        #expect(model.stateDict().keys == model.parameters().map(\.key) + ["norm.runningMean", "norm.runningVariance"])
        #expect(model.parameters().allSatisfy { $0.tensor.requiresGradient })
    }

    @Test func sequentialKeysByPosition() {
        var generator = SplitMix64(seed: 1)
        let body = Sequential(
            Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &generator),
            LeakyReLU(negativeSlope: 0.2),
            BatchNorm2d(featureCount: 2, affine: false))
        #expect(body.parameters().map(\.key) == ["layers.0.weight", "layers.0.bias"])
        #expect(body.buffers().map(\.key) == ["layers.2.runningMean", "layers.2.runningVariance"])
        #expect(body.modules().map(\.key) == ["", "layers.0", "layers.1", "layers.2"])
    }

    @Test func roundTripCopiesEveryValue() throws {
        let source = TinyNet(seed: 1), target = TinyNet(seed: 2)
        source.norm.runningMean.value.assign(Tensor(shape: [4], scalars: [1, 2, 3, 4]))
        var generator = SplitMix64(seed: 7)
        let x = Tensor.uniform(shape: [2, 3, 5, 7], using: &generator)
        source.eval()
        target.eval()
        #expect(source(x).scalars != target(x).scalars)

        try target.load(source.stateDict())
        for ((key, a), (_, b)) in zip(source.stateDict(), target.stateDict()) {
            #expect(a.scalars == b.scalars, "\(key)")
        }
        #expect(source(x).scalars == target(x).scalars)
        // Loading copies: the two models do not share storage afterwards.
        source.conv.weight.withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(source.conv.weight.scalars != target.conv.weight.scalars)
    }

    @Test func stateDictSharesStorageWithTheModule() {
        let model = TinyNet()
        let state = model.stateDict()
        model.conv.bias!.withUnsafeMutableBufferPointer { $0[0] = 42 }
        #expect(state["conv.bias"]?.scalars.first == 42)
    }

    @Test func strictLoadReportsMissingKeys() {
        let model = TinyNet()
        var state = model.stateDict()
        state["norm.runningVariance"] = nil
        state["conv.bias"] = nil
        let error = #expect(throws: StateDictError.missingKeys(["conv.bias", "norm.runningVariance"])) {
            try model.load(state)
        }
        #expect(error?.errorDescription == "missing keys in checkpoint: conv.bias, norm.runningVariance")
    }

    @Test func strictLoadReportsUnexpectedKeys() {
        let model = TinyNet()
        var state = model.stateDict()
        state["norm.numBatchesTracked"] = Tensor(0)
        let error = #expect(throws: StateDictError.unexpectedKeys(["norm.numBatchesTracked"])) {
            try model.load(state)
        }
        #expect(error?.errorDescription == "unexpected keys in checkpoint: norm.numBatchesTracked")
    }

    @Test(arguments: [true, false])
    func shapeMismatchNamesKeyAndBothShapes(strict: Bool) {
        let model = TinyNet(width: 32, kernelSize: 3)
        let checkpoint = TinyNet(width: 32, kernelSize: 5).stateDict()
        let before = model.conv.bias!.scalars
        let error = #expect(throws: StateDictError.shapeMismatch(key: "conv.weight", expected: [32, 3, 3, 3], actual: [32, 3, 5, 5])) {
            try model.load(checkpoint, strict: strict)
        }
        #expect(error?.errorDescription == "conv.weight: expected shape [32, 3, 3, 3], checkpoint has [32, 3, 5, 5]")
        // Validation happens before any copy: keys after the bad one stay untouched, and so do earlier ones.
        #expect(model.conv.bias!.scalars == before)
    }

    @Test func nonStrictLoadSkipsMissingAndUnexpectedKeys() throws {
        let model = TinyNet(seed: 3)
        let source = TinyNet(seed: 4)
        let headBias = model.head.stateDict()["layers.2.bias"]!.scalars
        var state = StateDict()
        state["conv.weight"] = source.conv.weight
        state["extra.weight"] = Tensor(zeros: [1])
        try model.load(state, strict: false)
        #expect(model.conv.weight.scalars == source.conv.weight.scalars)
        #expect(model.head.stateDict()["layers.2.bias"]!.scalars == headBias)
    }

    @Test func stateDictIsOrderedAndEditable() {
        var state: StateDict = ["b": Tensor(1), "a": Tensor(2)]
        state["c"] = Tensor(3)
        state["b"] = Tensor(4)
        #expect(state.keys == ["b", "a", "c"])
        #expect(state.map(\.tensor.scalar) == [4, 2, 3])
        state["a"] = nil
        #expect(state.keys == ["b", "c"] && state.count == 2 && !state.isEmpty)
    }

    @Test func freezeStopsGradients() {
        let model = TinyNet()
        model.freeze(keysWithPrefixes: ["conv."])
        #expect(model.parameters().filter { !$0.tensor.requiresGradient }.map(\.key) == ["conv.weight", "conv.bias"])
    }
}
