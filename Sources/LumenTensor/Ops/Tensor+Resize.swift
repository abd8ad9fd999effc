/// Interpolating resizes of `[N, C, H, W]` tensors, with PyTorch's coordinate
/// conventions (`F.interpolate`).
extension Tensor {
    /// Bilinear resize to `height x width`.
    ///
    /// - Parameters:
    ///   - alignCorners: `true` maps corner pixel centres onto each other
    ///     (`src = dst · (in − 1)/(out − 1)`, `nn.UpsamplingBilinear2d`); `false`
    ///     maps pixel areas (`src = (dst + 0.5) · in/out − 0.5`, clamped at 0,
    ///     `F.interpolate`'s default).
    ///   - scale: overrides the `in/out` ratio used by `alignCorners: false`,
    ///     as PyTorch does when given `scale_factor` (then `scale = 1/scale_factor`).
    ///   - window: computes only these output rows and columns of the full
    ///     `height x width` result (a tile of a large resize), or all when `nil`.
    public func resizedBilinear(height: Int, width: Int, alignCorners: Bool,
                                scale: (height: Double, width: Double)? = nil,
                                window: (rows: Range<Int>, columns: Range<Int>)? = nil) -> Tensor {
        precondition(shape.rank == 4 && height > 0 && width > 0, "bilinear resize of \(shape) to \(height)x\(width)")
        var rows = LinearTaps(input: shape[2], output: height, alignCorners: alignCorners, scale: scale?.height)
        var columns = LinearTaps(input: shape[3], output: width, alignCorners: alignCorners, scale: scale?.width)
        if let window {
            precondition(window.rows.clamped(to: 0..<height) == window.rows && window.columns.clamped(to: 0..<width) == window.columns,
                         "resize window \(window) outside \(height)x\(width)")
            rows = rows.restricted(to: window.rows)
            columns = columns.restricted(to: window.columns)
        }
        let input = self
        return Resampling.forward(input, rows: rows, columns: columns)
            .recorded(.resizeBilinear, inputs: [input]) { g in [Resampling.backward(g, shape: input.shape, rows: rows, columns: columns)] }
    }

    /// Nearest-neighbour resize to `height x width`, as PyTorch's `mode='nearest'`:
    /// output index `i` reads input `min(floor(i · in/out), in − 1)`.
    public func resizedNearest(height: Int, width: Int) -> Tensor {
        precondition(shape.rank == 4 && height > 0 && width > 0, "nearest resize of \(shape) to \(height)x\(width)")
        let rows = LinearTaps(nearestInput: shape[2], output: height)
        let columns = LinearTaps(nearestInput: shape[3], output: width)
        let input = self
        return Resampling.forward(input, rows: rows, columns: columns)
            .recorded(.resizeNearest, inputs: [input]) { g in [Resampling.backward(g, shape: input.shape, rows: rows, columns: columns)] }
    }
}

/// For each output index along one axis: two input indices and their weights.
struct LinearTaps {
    var first: [Int] = [], second: [Int] = []
    var firstWeight: [Float] = [], secondWeight: [Float] = []

    init(input: Int, output: Int, alignCorners: Bool, scale: Double?) {
        // PyTorch computes the ratio in the accumulation type and the source
        // coordinate in float for float tensors; doing the same keeps the taps
        // bit-identical to the reference.
        let ratio: Float
        if alignCorners {
            ratio = output > 1 ? Float(input - 1) / Float(output - 1) : 0
        } else {
            ratio = Float(scale ?? Double(input) / Double(output))
        }
        for i in 0..<output {
            let source = alignCorners ? ratio * Float(i) : Swift.max(ratio * (Float(i) + 0.5) - 0.5, 0)
            let lower = Swift.min(Int(source), input - 1)
            let upper = lower < input - 1 ? lower + 1 : lower
            let lambda = Swift.min(source - Float(lower), 1)
            first.append(lower); second.append(upper)
            firstWeight.append(1 - lambda); secondWeight.append(lambda)
        }
    }

    /// The taps of the outputs in `range` only.
    func restricted(to range: Range<Int>) -> LinearTaps {
        var taps = self
        taps.first = Array(first[range]); taps.second = Array(second[range])
        taps.firstWeight = Array(firstWeight[range]); taps.secondWeight = Array(secondWeight[range])
        return taps
    }

    init(nearestInput input: Int, output: Int) {
        let ratio = Float(input) / Float(output)
        for i in 0..<output {
            let index = Swift.min(Int((Float(i) * ratio).rounded(.down)), input - 1)
            first.append(index); second.append(index)
            firstWeight.append(1); secondWeight.append(0)
        }
    }
}

/// Separable two-tap resampling and its transpose.
enum Resampling {
    static func forward(_ input: Tensor, rows: LinearTaps, columns: LinearTaps) -> Tensor {
        let planes = input.shape[0] * input.shape[1], height = input.shape[2], width = input.shape[3]
        let outH = rows.first.count, outW = columns.first.count
        return Tensor(shape: [input.shape[0], input.shape[1], outH, outW]) { out in
            parallelFor(planes * outH, grain: 16) { range in
                for line in range {
                    let plane = line / outH, y = line % outH
                    let src = input.storage.pointer + plane * height * width
                    let top = src + rows.first[y] * width, bottom = src + rows.second[y] * width
                    let wTop = rows.firstWeight[y], wBottom = rows.secondWeight[y]
                    let dst = out.baseAddress! + line * outW
                    for x in 0..<outW {
                        let x0 = columns.first[x], x1 = columns.second[x]
                        let w0 = columns.firstWeight[x], w1 = columns.secondWeight[x]
                        dst[x] = wTop * (w0 * top[x0] + w1 * top[x1]) + wBottom * (w0 * bottom[x0] + w1 * bottom[x1])
                    }
                }
            }
        }
    }

    static func backward(_ g: Tensor, shape: Shape, rows: LinearTaps, columns: LinearTaps) -> Tensor {
        let planes = shape[0] * shape[1], height = shape[2], width = shape[3]
        let outH = rows.first.count, outW = columns.first.count
        return Tensor(shape: shape) { gradient in
            gradient.initialize(repeating: 0)
            parallelFor(planes) { range in
                for plane in range {
                    let dst = gradient.baseAddress! + plane * height * width
                    for y in 0..<outH {
                        let src = g.storage.pointer + (plane * outH + y) * outW
                        let top = dst + rows.first[y] * width, bottom = dst + rows.second[y] * width
                        let wTop = rows.firstWeight[y], wBottom = rows.secondWeight[y]
                        for x in 0..<outW {
                            let x0 = columns.first[x], x1 = columns.second[x]
                            let w0 = columns.firstWeight[x], w1 = columns.secondWeight[x], value = src[x]
                            top[x0] += wTop * w0 * value; top[x1] += wTop * w1 * value
                            bottom[x0] += wBottom * w0 * value; bottom[x1] += wBottom * w1 * value
                        }
                    }
                }
            }
        }
    }
}
