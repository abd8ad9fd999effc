import LumenNN
import LumenTensor

/// The symmetric skips of Zero-DCE and Zero-DCE++: `x1 ... x4` in a chain,
/// `x5 = layer5(x3, x4)`, `x6 = layer6(x2, x5)`, all through ReLU (the seventh
/// layer, which reads `x1, x6`, is the caller's). Returns `[x1, ..., x6]`.
func zeroDCEFeatures(_ input: Tensor, layers: [any UnaryLayer]) -> [Tensor] {
    precondition(layers.count == 6, "Zero-DCE's wiring has six feature layers, got \(layers.count)")
    let x1 = layers[0](input).relu()
    let x2 = layers[1](x1).relu()
    let x3 = layers[2](x2).relu()
    let x4 = layers[3](x3).relu()
    let x5 = layers[4](Tensor.concatenated([x3, x4], axis: 1)).relu()
    let x6 = layers[5](Tensor.concatenated([x2, x5], axis: 1)).relu()
    return [x1, x2, x3, x4, x5, x6]
}
