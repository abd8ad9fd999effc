import Foundation

extension Tensor {
    /// Softmax along `axis`, computed stably (the maximum is subtracted first).
    ///
    /// Backward `y * (g - Σ g·y)` along the axis.
    public func softmax(axis: Int = -1) -> Tensor {
        let axis = shape.normalizedAxis(axis)
        let outer = shape.dimensions[..<axis].reduce(1, *), size = shape[axis]
        let inner = shape.dimensions[(axis + 1)...].reduce(1, *)
        let input = self
        let y = Tensor(shape: shape) { out in
            let source = input.storage.pointer, destination = out.baseAddress!
            parallelFor(outer * inner, grain: 64) { range in
                for line in range {
                    let base = (line / inner) * size * inner + line % inner
                    var largest = -Float.infinity
                    for i in 0..<size { largest = Swift.max(largest, source[base + i * inner]) }
                    var total: Float = 0
                    for i in 0..<size {
                        let e = Foundation.exp(source[base + i * inner] - largest)
                        destination[base + i * inner] = e
                        total += e
                    }
                    for i in 0..<size { destination[base + i * inner] /= total }
                }
            }
        }
        return y.recorded(.softmax, inputs: [input]) { [unowned y] g in
            let product = g * y
            return [product - y * product.sum(axes: [axis], keepDimensions: true)]
        }
    }
}
