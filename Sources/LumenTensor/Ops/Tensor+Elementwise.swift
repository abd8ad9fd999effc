import Foundation

/// Unary element-wise functions.
extension Tensor {
    /// `e^x`.
    public func exp() -> Tensor {
        let y = Elementwise.map(self) { Foundation.exp($0) }
        return y.recorded(.exp, inputs: [self]) { [unowned y] g in [g * y] }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        let x = self
        return Elementwise.map(x) { Foundation.log($0) }.recorded(.log, inputs: [x]) { g in [g / x] }
    }

    /// Square root; its gradient `g / (2 sqrt(x))` is infinite at 0.
    public func sqrt() -> Tensor {
        let y = Elementwise.map(self) { $0.squareRoot() }
        return y.recorded(.sqrt, inputs: [self]) { [unowned y] g in [g / (2 * y)] }
    }

    /// Absolute value; the gradient at 0 is 0 (PyTorch's convention).
    public func abs() -> Tensor {
        let x = self
        return Elementwise.map(x) { Swift.abs($0) }.recorded(.abs, inputs: [x]) { g in [g * x.sign()] }
    }

    /// `-1`, `0` or `1`; its gradient is zero everywhere it exists.
    public func sign() -> Tensor {
        let x = self
        return Elementwise.map(x) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
            .recorded(.sign, inputs: [x]) { g in [Tensor(zeros: x.shape)] }
    }

    /// Limits values to `lower ... upper` (either bound optional).
    ///
    /// The gradient passes where `lower <= x <= upper`, bounds included, as in PyTorch.
    public func clamped(min lower: Float? = nil, max upper: Float? = nil) -> Tensor {
        let x = self
        let lo = lower ?? -.infinity, hi = upper ?? .infinity
        return Elementwise.map(x) { Swift.min(Swift.max($0, lo), hi) }.recorded(.clamp, inputs: [x]) { g in
            [g * Elementwise.map(x) { $0 >= lo && $0 <= hi ? 1 : 0 }]
        }
    }

    /// `x * x`.
    public func squared() -> Tensor { self * self }
}

extension Tensor {
    /// The quadratic curve `x + r · (x² − x)` in one pass, broadcasting `r`: Zero-DCE's
    /// light-enhancement step, applied eight times per image. Fusing it saves three
    /// full-size temporaries per step; the arithmetic is done in the same order as
    /// the composed form, so the values are identical.
    ///
    /// Backward: `∂/∂x = 1 + r · (2x − 1)`, `∂/∂r = x² − x`.
    public func quadraticCurve(_ r: Tensor) -> Tensor {
        let x = self
        return Elementwise.broadcast(x, r) { x, r in x + r * (x * x - x) }.recorded(.quadraticCurve, inputs: [x, r]) { g in
            [x.needsGradient ? (g * Elementwise.broadcast(x, r) { x, r in 1 + r * (2 * x - 1) }).summed(toShape: x.shape) : nil,
             r.needsGradient ? (g * Elementwise.map(x) { $0 * $0 - $0 }).summed(toShape: r.shape) : nil]
        }
    }
}
