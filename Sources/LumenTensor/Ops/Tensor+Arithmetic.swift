import Foundation

/// Arithmetic with NumPy broadcasting. Each operator's backward sums the
/// gradient back over the axes an operand was broadcast along.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b, +).recorded(.add, inputs: [a, b]) { g in
            [g.summed(toShape: a.shape), g.summed(toShape: b.shape)]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b, -).recorded(.subtract, inputs: [a, b]) { g in
            [g.summed(toShape: a.shape), b.needsGradient ? (-g).summed(toShape: b.shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b, *).recorded(.multiply, inputs: [a, b]) { g in
            [a.needsGradient ? (g * b).summed(toShape: a.shape) : nil,
             b.needsGradient ? (g * a).summed(toShape: b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b, /).recorded(.divide, inputs: [a, b]) { g in
            [a.needsGradient ? (g / b).summed(toShape: a.shape) : nil,
             b.needsGradient ? (-(g * a) / (b * b)).summed(toShape: b.shape) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { Tensor(-1) * x }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(b) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    /// Element-wise power `self ^ exponent`, broadcasting.
    ///
    /// The exponent's gradient `y * log(x)` is computed only when the exponent
    /// requires one: it is NaN for negative bases, which integer powers allow.
    public func pow(_ exponent: Tensor) -> Tensor {
        let x = self
        let y = Elementwise.broadcast(x, exponent) { Foundation.pow($0, $1) }
        return y.recorded(.power, inputs: [x, exponent]) { [unowned y] g in
            [x.needsGradient ? (g * exponent * x.pow(exponent - 1)).summed(toShape: x.shape) : nil,
             exponent.needsGradient ? (g * y * x.log()).summed(toShape: exponent.shape) : nil]
        }
    }

    /// Element-wise power with a constant exponent.
    public func pow(_ exponent: Float) -> Tensor { pow(Tensor(exponent)) }

    /// Element-wise maximum, broadcasting; ties send the gradient to `a`.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b) { Swift.max($0, $1) }.recorded(.maximum, inputs: [a, b]) { g in
            let takesA = Elementwise.broadcast(a, b) { $0 >= $1 ? 1 : 0 }
            return [(g * takesA).summed(toShape: a.shape), (g * (1 - takesA)).summed(toShape: b.shape)]
        }
    }

    /// Element-wise minimum, broadcasting; ties send the gradient to `a`.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        Elementwise.broadcast(a, b) { Swift.min($0, $1) }.recorded(.minimum, inputs: [a, b]) { g in
            let takesA = Elementwise.broadcast(a, b) { $0 <= $1 ? 1 : 0 }
            return [(g * takesA).summed(toShape: a.shape), (g * (1 - takesA)).summed(toShape: b.shape)]
        }
    }
}
