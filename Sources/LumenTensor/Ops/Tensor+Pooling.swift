/// Spatial pooling over `[N, C, H, W]`.
extension Tensor {
    /// Average pooling, as PyTorch's `F.avg_pool2d` with `count_include_pad=True`
    /// (zero padding counts towards the divisor `kernel²`).
    public func avgPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let window = PoolWindow(input: shape, kernel: kernelSize, stride: stride ?? kernelSize, padding: padding)
        let input = self
        let scale = 1 / Float(kernelSize * kernelSize)
        let output = window.forEachPlane(input) { src, dst in
            window.forEachOutput { index, taps in
                var total: Float = 0
                for tap in taps { total += src[tap] }
                dst[index] = total * scale
            }
        }
        return output.recorded(.avgPool2d, inputs: [input]) { g in
            [window.scatter(g, into: input.shape) { _, src, dst in
                window.forEachOutput { index, taps in
                    for tap in taps { dst[tap] += src[index] * scale }
                }
            }]
        }
    }

    /// Max pooling, as PyTorch's `F.max_pool2d` (padding acts as `-inf`); the
    /// gradient goes to the first maximal element of each window.
    public func maxPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let window = PoolWindow(input: shape, kernel: kernelSize, stride: stride ?? kernelSize, padding: padding)
        let input = self
        let output = window.forEachPlane(input) { src, dst in
            window.forEachOutput { index, taps in
                var best = -Float.infinity
                for tap in taps { best = Swift.max(best, src[tap]) }
                dst[index] = best
            }
        }
        return output.recorded(.maxPool2d, inputs: [input]) { g in
            [window.scatter(g, into: input.shape) { plane, src, dst in
                let values = input.storage.pointer + plane * window.height * window.width
                window.forEachOutput { index, taps in
                    guard var best = taps.first else { return }
                    for tap in taps where values[tap] > values[best] { best = tap }
                    dst[best] += src[index]
                }
            }]
        }
    }

    /// Adaptive average pooling to `outputSize` (height, width), as PyTorch's
    /// `F.adaptive_avg_pool2d`: output cell `i` averages input rows
    /// `floor(i·H/out) ..< ceil((i+1)·H/out)`.
    public func adaptiveAvgPool2d(outputSize: (height: Int, width: Int)) -> Tensor {
        precondition(shape.rank == 4, "adaptive pooling needs [N, C, H, W], got \(shape)")
        let input = self
        let height = shape[2], width = shape[3], outH = outputSize.height, outW = outputSize.width
        let rows = (0..<outH).map { i in (i * height / outH) ..< ((i + 1) * height + outH - 1) / outH }
        let columns = (0..<outW).map { j in (j * width / outW) ..< ((j + 1) * width + outW - 1) / outW }
        let planes = shape[0] * shape[1]
        let output = Tensor(shape: [shape[0], shape[1], outH, outW]) { out in
            parallelFor(planes) { range in
                for plane in range {
                    let src = input.storage.pointer + plane * height * width, dst = out.baseAddress! + plane * outH * outW
                    for (i, rowRange) in rows.enumerated() {
                        for (j, columnRange) in columns.enumerated() {
                            var total: Float = 0
                            for y in rowRange { for x in columnRange { total += src[y * width + x] } }
                            dst[i * outW + j] = total / Float(rowRange.count * columnRange.count)
                        }
                    }
                }
            }
        }
        return output.recorded(.adaptiveAvgPool2d, inputs: [input]) { g in
            [Tensor(shape: input.shape) { gradient in
                gradient.initialize(repeating: 0)
                parallelFor(planes) { range in
                    for plane in range {
                        let src = g.storage.pointer + plane * outH * outW, dst = gradient.baseAddress! + plane * height * width
                        for (i, rowRange) in rows.enumerated() {
                            for (j, columnRange) in columns.enumerated() {
                                let share = src[i * outW + j] / Float(rowRange.count * columnRange.count)
                                for y in rowRange { for x in columnRange { dst[y * width + x] += share } }
                            }
                        }
                    }
                }
            }]
        }
    }
}

/// The geometry of a square pooling window sliding over each `H x W` plane.
struct PoolWindow {
    let planes, height, width, kernel, stride, padding, outHeight, outWidth: Int

    init(input: Shape, kernel: Int, stride: Int, padding: Int) {
        precondition(input.rank == 4, "pooling needs [N, C, H, W], got \(input)")
        precondition(kernel > 0 && stride > 0 && padding >= 0 && padding * 2 <= kernel, "pooling kernel \(kernel), stride \(stride), padding \(padding)")
        planes = input[0] * input[1]
        height = input[2]; width = input[3]
        self.kernel = kernel; self.stride = stride; self.padding = padding
        outHeight = (height + 2 * padding - kernel) / stride + 1
        outWidth = (width + 2 * padding - kernel) / stride + 1
        precondition(outHeight > 0 && outWidth > 0, "pooling kernel \(kernel) larger than the input \(input)")
    }

    var outputShape: Shape { [planes, 1, outHeight, outWidth] }

    /// Calls `body` with each output index and the in-plane indices its window covers.
    func forEachOutput(_ body: (Int, [Int]) -> Void) {
        var taps: [Int] = []
        taps.reserveCapacity(kernel * kernel)
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                taps.removeAll(keepingCapacity: true)
                for ky in 0..<kernel {
                    let y = oy * stride - padding + ky
                    guard y >= 0 && y < height else { continue }
                    for kx in 0..<kernel {
                        let x = ox * stride - padding + kx
                        if x >= 0 && x < width { taps.append(y * width + x) }
                    }
                }
                body(oy * outWidth + ox, taps)
            }
        }
    }

    /// Runs `body(sourcePlane, destinationPlane)` for every plane of `input`.
    func forEachPlane(_ input: Tensor, _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        Tensor(shape: [input.shape[0], input.shape[1], outHeight, outWidth]) { out in
            parallelFor(planes) { range in
                for plane in range {
                    body(input.storage.pointer + plane * height * width, out.baseAddress! + plane * outHeight * outWidth)
                }
            }
        }
    }

    /// A zero tensor of `shape` into which `body(plane, gradientPlane, inputGradientPlane)` scatters.
    func scatter(_ g: Tensor, into shape: Shape,
                 _ body: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        Tensor(shape: shape) { gradient in
            gradient.initialize(repeating: 0)
            parallelFor(planes) { range in
                for plane in range {
                    body(plane, g.storage.pointer + plane * outHeight * outWidth, gradient.baseAddress! + plane * height * width)
                }
            }
        }
    }
}
