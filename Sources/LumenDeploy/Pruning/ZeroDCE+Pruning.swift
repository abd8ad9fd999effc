import Lumen
import LumenNN
import LumenTensor

/// Structured pruning of Zero-DCE: filters of `conv1` ... `conv6` removed together
/// with the input channels that read them, giving a smaller dense network (fewer
/// channels, not a mask) that `lumen enhance` loads like any weights.
///
/// `conv7` keeps its 24 outputs: they are the curve maps.
extension ZeroDCE {
    /// The filters of `conv1` ... `conv6` that are dead: every weight's magnitude is
    /// below `threshold` and the bias is not positive, so the ReLU after them gives zero
    /// (or, for a zero bias, at most `threshold` times the input's sum) everywhere.
    /// The official checkpoint has 4 to 9 such filters in each of these layers.
    public func deadFilters(threshold: Float = 1e-10) -> [[Int]] {
        prunable.map { conv in
            (0..<conv.weight.shape[0]).filter { filter in
                let weights = Self.filterWeights(conv, filter)
                return weights.allSatisfy { abs($0) < threshold } && (conv.bias?.scalars[filter] ?? 0) <= 0
            }
        }
    }

    /// The `sparsity` fraction of each layer's filters with the smallest L1 norm
    /// (rounded down, and at least one filter kept), weakest first.
    public func weakestFilters(sparsity: Double) -> [[Int]] {
        precondition((0..<1).contains(sparsity), "sparsity must be in [0, 1), got \(sparsity)")
        return prunable.map { conv in
            let count = conv.weight.shape[0]
            let norms = (0..<count).map { filter in Self.filterWeights(conv, filter).reduce(0) { $0 + abs($1) } }
            let removed = min(Int(Double(count) * sparsity), count - 1)
            return Array((0..<count).sorted { norms[$0] < norms[$1] }.prefix(removed))
        }
    }

    /// The network without the filters `removing[i]` of layer `i + 1` (`conv1` ... `conv6`)
    /// and without the input channels of the layers that read them: `conv2` ... `conv4`
    /// read the layer before, `conv5` reads `[x3, x4]`, `conv6` `[x2, x5]`, `conv7` `[x1, x6]`.
    public func pruned(removing: [[Int]]) -> ZeroDCE {
        precondition(removing.count == 6, "pruning takes the filters to remove from six layers, got \(removing.count)")
        let kept = zip(prunable, removing).map { conv, removed in
            let removed = Set(removed)
            return (0..<conv.weight.shape[0]).filter { !removed.contains($0) }
        }
        precondition(kept.allSatisfy { !$0.isEmpty }, "pruning must keep at least one filter in every layer")
        func joined(_ first: Int, _ second: Int) -> [Int] { kept[first] + kept[second].map { $0 + widths[first] } }
        let inputs: [[Int]] = [Array(0..<3), kept[0], kept[1], kept[2], joined(2, 3), joined(1, 4), joined(0, 5)]
        let outputs = kept + [Array(0..<conv7.weight.shape[0])]
        var state = StateDict()
        for (index, conv) in ([conv1, conv2, conv3, conv4, conv5, conv6, conv7]).enumerated() {
            state["conv\(index + 1).weight"] = Self.selected(conv.weight, outputs: outputs[index], inputs: inputs[index])
            if let bias = conv.bias { state["conv\(index + 1).bias"] = Tensor(shape: [outputs[index].count], scalars: outputs[index].map { bias.scalars[$0] }) }
        }
        var generator = SplitMix64(seed: 0)
        let model = ZeroDCE(widths: kept.map(\.count), using: &generator)
        do { try model.load(state) } catch { preconditionFailure("a pruned Zero-DCE does not fit its own shape: \(error)") }
        return model
    }

    /// The layers whose filters can go.
    private var prunable: [Conv2d] { [conv1, conv2, conv3, conv4, conv5, conv6] }

    private static func filterWeights(_ conv: Conv2d, _ filter: Int) -> ArraySlice<Float> {
        let size = conv.weight.scalarCount / conv.weight.shape[0]
        return conv.weight.scalars[(filter * size)..<((filter + 1) * size)]
    }

    /// `weight[outputs, inputs, :, :]`.
    private static func selected(_ weight: Tensor, outputs: [Int], inputs: [Int]) -> Tensor {
        let (inputCount, kernel) = (weight.shape[1], weight.shape[2] * weight.shape[3])
        let scalars = weight.scalars
        var values: [Float] = []
        values.reserveCapacity(outputs.count * inputs.count * kernel)
        for output in outputs {
            for input in inputs {
                let start = (output * inputCount + input) * kernel
                values.append(contentsOf: scalars[start..<(start + kernel)])
            }
        }
        return Tensor(shape: [outputs.count, inputs.count, weight.shape[2], weight.shape[3]], scalars: values)
    }
}
