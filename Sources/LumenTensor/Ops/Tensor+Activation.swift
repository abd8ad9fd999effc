import CLumenKernels
import Foundation

/// Activation functions, each with its own backward rule. When the backward pass
/// is recorded (gradients of gradients), the rules are composed of recorded
/// operations instead of their fused kernels.
extension Tensor {
    /// `max(x, 0)`; the gradient at 0 is 0.
    public func relu() -> Tensor {
        let x = self
        return Elementwise.map(x) { Swift.max($0, 0) }.recorded(.relu, inputs: [x]) { g in
            if GradientMode.isEnabled { return [g * Elementwise.map(x) { $0 > 0 ? 1 : 0 }] }
            return [Elementwise.zip(g, x) { $1 > 0 ? $0 : 0 }]
        }
    }

    /// `x` for positive inputs, `slope * x` otherwise.
    public func leakyReLU(negativeSlope slope: Float = 0.01) -> Tensor {
        let x = self
        return Elementwise.map(x) { $0 > 0 ? $0 : $0 * slope }.recorded(.leakyReLU, inputs: [x]) { g in
            if GradientMode.isEnabled { return [g * Elementwise.map(x) { $0 > 0 ? 1 : slope }] }
            return [Elementwise.zip(g, x) { $1 > 0 ? $0 : $0 * slope }]
        }
    }

    /// Logistic sigmoid `1 / (1 + e^-x)`.
    ///
    /// Has its own backward, `g * y * (1 - y)`: differentiating the composed form
    /// gives `0 * inf = NaN` for large negative inputs.
    public func sigmoid() -> Tensor {
        let y = Elementwise.vectorized(self, lumen_sigmoid)
        return y.recorded(.sigmoid, inputs: [self]) { [unowned y] g in
            if GradientMode.isEnabled { return [g * y * (1 - y)] }
            return [Elementwise.zip(g, y) { $0 * $1 * (1 - $1) }]
        }
    }

    /// Hyperbolic tangent; backward `g * (1 - y²)`.
    public func tanh() -> Tensor {
        let y = Elementwise.vectorized(self, lumen_tanh)
        return y.recorded(.tanh, inputs: [self]) { [unowned y] g in
            if GradientMode.isEnabled { return [g * (1 - y * y)] }
            return [Elementwise.zip(g, y) { $0 * (1 - $1 * $1) }]
        }
    }

    /// Gaussian error linear unit, the exact form `x * Φ(x)` (PyTorch's default).
    public func gelu() -> Tensor {
        let x = self
        let invSqrt2: Float = 0.707_106_78, invSqrt2Pi: Float = 0.398_942_28
        return Elementwise.map(x) { 0.5 * $0 * (1 + erf($0 * invSqrt2)) }.recorded(.gelu, inputs: [x]) { g in
            [Elementwise.zip(g, x) { g, v in
                g * (0.5 * (1 + erf(v * invSqrt2)) + v * invSqrt2Pi * Foundation.exp(-0.5 * v * v))
            }]
        }
    }
}
