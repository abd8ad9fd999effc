import LumenTensor

/// Spectral normalisation of any weight layer (Miyato et al., ICLR 2018), with
/// the semantics of PyTorch's `torch.nn.utils.spectral_norm`: the layer runs with
/// `weight / σ`, where `σ = uᵀ W v` estimates the largest singular value of the
/// weight viewed as a matrix `[outputs, rest]`.
///
/// - `u` and `v` are persistent buffers, saved with the weights.
/// - Each forward pass in training mode first runs one power iteration,
///   `v = normalize(Wᵀu)`, `u = normalize(W v)` with `normalize(x) = x / max(‖x‖, ε)`,
///   outside the graph, updating the buffers in place; evaluation mode uses them as saved.
/// - Gradients flow through `σ` to `W` (with `u` and `v` held constant), as in PyTorch.
///
/// Keys are `layer.weight`, `layer.bias`, `u`, `v`;
/// ``StateDict/importingPyTorchSpectralNorm()`` maps PyTorch's `weight_orig`,
/// `weight_u` and `weight_v` onto them.
///
/// ```swift
/// var generator = SplitMix64(seed: 0)
/// let conv = SpectralNorm(Conv2d(inputChannels: 64, outputChannels: 128, kernelSize: 4, stride: 2, padding: 1,
///                                using: &generator), using: &generator)
/// let y = conv(x)
/// ```
public final class SpectralNorm<Layer: WeightedLayer>: Module, UnaryLayer, @unchecked Sendable {
    /// The wrapped layer; its `weight` is the unnormalised one (PyTorch's `weight_orig`).
    public let layer: Layer
    /// The left singular vector estimate, `[outputs]` (PyTorch's `weight_u`).
    public let u: Buffer
    /// The right singular vector estimate, `[rest]` (PyTorch's `weight_v`).
    public let v: Buffer
    /// The lower bound of the norm in `normalize`.
    public let epsilon: Float

    /// Wraps `layer`, starting `u` and `v` from normalised standard-normal vectors
    /// (as PyTorch does; no power iteration until the first training forward pass).
    public init(_ layer: Layer, epsilon: Float = 1e-12, using generator: inout some RandomNumberGenerator) {
        self.layer = layer
        self.epsilon = epsilon
        let shape = SpectralNorm.matrixShape(of: layer.weight.shape)
        let normalize = { (x: Tensor) in SpectralNorm.normalized(x, epsilon: epsilon) }
        u = Buffer(normalize(Tensor.normal(shape: [shape.rows], using: &generator)))
        v = Buffer(normalize(Tensor.normal(shape: [shape.columns], using: &generator)))
    }

    /// The weight divided by its estimated largest singular value, after one power
    /// iteration when training.
    public func normalizedWeight() -> Tensor {
        let weight = layer.weight
        let shape = SpectralNorm.matrixShape(of: weight.shape)
        let matrix = SpectralNorm.matrix(weight, rows: shape.rows, columns: shape.columns)
        if isTraining {
            withoutGradients {
                let constant = matrix.detached()
                v.value.assign(SpectralNorm.normalized(
                    u.value.reshaped([1, shape.rows]).matmul(constant).reshaped([shape.columns]), epsilon: epsilon))
                u.value.assign(SpectralNorm.normalized(
                    constant.matmul(v.value.reshaped([shape.columns, 1])).reshaped([shape.rows]), epsilon: epsilon))
            }
        }
        let sigma = (matrix.matmul(v.value.copied().reshaped([shape.columns, 1])).reshaped([shape.rows])
            * u.value.copied()).sum()
        return weight / sigma
    }

    /// Applies the layer with the normalised weight.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layer(x, weight: normalizedWeight())
    }

    /// The weight as a `[outputs, rest]` matrix, the output axis moved first.
    private static func matrix(_ weight: Tensor, rows: Int, columns: Int) -> Tensor {
        let axis = Layer.outputAxis
        guard axis != 0 else { return weight.reshaped([rows, columns]) }
        var order = Array(0..<weight.shape.rank)
        order.remove(at: axis)
        order.insert(axis, at: 0)
        return weight.permuted(order).reshaped([rows, columns])
    }

    private static func matrixShape(of shape: Shape) -> (rows: Int, columns: Int) {
        let rows = shape[Layer.outputAxis]
        return (rows, shape.elementCount / rows)
    }

    private static func normalized(_ x: Tensor, epsilon: Float) -> Tensor {
        withoutGradients { x / Swift.max(x.squared().sum().scalar.squareRoot(), epsilon) }
    }
}

extension StateDict {
    /// The same weights with PyTorch's spectral-norm keys renamed to
    /// ``SpectralNorm``'s: for every `P.weight_orig`, `P.weight_orig` → `P.layer.weight`,
    /// `P.bias` → `P.layer.bias`, `P.weight_u` → `P.u`, `P.weight_v` → `P.v`. The
    /// parametrisation API's `P.parametrizations.weight.original` and
    /// `P.parametrizations.weight.0._u` / `._v` map the same way. Other keys are kept.
    public func importingPyTorchSpectralNorm() -> StateDict {
        let forms: [(weight: String, u: String, v: String)] = [
            ("weight_orig", "weight_u", "weight_v"),
            ("parametrizations.weight.original", "parametrizations.weight.0._u", "parametrizations.weight.0._v"),
        ]
        var renamed: [String: String] = [:]
        for key in keys {
            for form in forms where key == form.weight || key.hasSuffix("." + form.weight) {
                let prefix = String(key.dropLast(form.weight.count))
                renamed[key] = prefix + "layer.weight"
                renamed[prefix + "bias"] = prefix + "layer.bias"
                renamed[prefix + form.u] = prefix + "u"
                renamed[prefix + form.v] = prefix + "v"
            }
        }
        return StateDict(keys.map { (key: renamed[$0] ?? $0, tensor: self[$0]!) })
    }
}
