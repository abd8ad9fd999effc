/// Convolutions as matrix products (ggml style): per image and group, the weight
/// `[O / g, C / g · kH · kW]` times the patch matrix from ``Im2Col``. Handles every
/// geometry; 1x1 stride-1 convolutions skip the unfolding entirely.
enum MatrixMultiplyConvolution {
    /// `output [N, O, outH, outW] = input ⋆ weight + bias`.
    static func forward(input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        output: UnsafeMutablePointer<Float>, geometry g: ConvolutionGeometry) {
        let (cg, og, patch) = (g.inChannelsPerGroup, g.outChannelsPerGroup, g.inChannelsPerGroup * g.kernelArea)
        let blocks = Im2Col.rowBlocks(channels: cg, geometry: g)
        let columns = TensorStorage(count: g.isPointwise ? 0 : patch * blocks[0].count * g.outWidth)
        for n in 0..<g.batch {
            for group in 0..<g.groups {
                let image = input + (n * g.inChannels + group * cg) * g.inPlane
                let result = output + (n * g.outChannels + group * og) * g.outPlane
                let groupWeight = weight + group * g.groupWeightCount
                if g.isPointwise {
                    BLAS.sgemm(m: og, n: g.outPlane, k: cg, a: groupWeight, b: image, c: result)
                    continue
                }
                for rows in blocks {
                    Im2Col.unfold(image, channels: cg, geometry: g, rows: rows, into: columns.pointer)
                    BLAS.sgemm(m: og, n: rows.count * g.outWidth, k: patch, a: groupWeight, b: columns.pointer,
                               c: result + rows.lowerBound * g.outWidth, ldc: g.outPlane)
                }
            }
        }
        guard let bias else { return }
        parallelFor(g.batch * g.outChannels) { planes in
            for plane in planes {
                let value = bias[plane % g.outChannels]
                let target = output + plane * g.outPlane
                for i in 0..<g.outPlane { target[i] += value }
            }
        }
    }

    /// Adds `∂loss/∂input` (`[N, C, H, W]`) for an output gradient: `weightᵀ · gradient`
    /// folded back onto the input (col2im). `inputGradient` must start zeroed.
    static func inputGradient(outputGradient: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              into inputGradient: UnsafeMutablePointer<Float>, geometry g: ConvolutionGeometry) {
        let (cg, og, patch) = (g.inChannelsPerGroup, g.outChannelsPerGroup, g.inChannelsPerGroup * g.kernelArea)
        let blocks = Im2Col.rowBlocks(channels: cg, geometry: g)
        let columns = TensorStorage(count: g.isPointwise ? 0 : patch * blocks[0].count * g.outWidth)
        for n in 0..<g.batch {
            for group in 0..<g.groups {
                let gradient = outputGradient + (n * g.outChannels + group * og) * g.outPlane
                let result = inputGradient + (n * g.inChannels + group * cg) * g.inPlane
                let groupWeight = weight + group * g.groupWeightCount
                if g.isPointwise {
                    BLAS.sgemm(transposeA: true, m: cg, n: g.inPlane, k: og, a: groupWeight, b: gradient, c: result)
                    continue
                }
                for rows in blocks {
                    BLAS.sgemm(transposeA: true, m: patch, n: rows.count * g.outWidth, k: og, a: groupWeight,
                               b: gradient + rows.lowerBound * g.outWidth, ldb: g.outPlane, c: columns.pointer)
                    Im2Col.fold(columns.pointer, channels: cg, geometry: g, rows: rows, into: result)
                }
            }
        }
    }

    /// Writes `∂loss/∂weight` (`[O, C / g, kH, kW]`) for an output gradient:
    /// `gradient · patchesᵀ`, summed over images and row blocks in a fixed order.
    static func weightGradient(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                               into weightGradient: UnsafeMutablePointer<Float>, geometry g: ConvolutionGeometry) {
        let (cg, og, patch) = (g.inChannelsPerGroup, g.outChannelsPerGroup, g.inChannelsPerGroup * g.kernelArea)
        let blocks = Im2Col.rowBlocks(channels: cg, geometry: g)
        let columns = TensorStorage(count: g.isPointwise ? 0 : patch * blocks[0].count * g.outWidth)
        weightGradient.initialize(repeating: 0, count: g.groups * g.groupWeightCount)
        for n in 0..<g.batch {
            for group in 0..<g.groups {
                let image = input + (n * g.inChannels + group * cg) * g.inPlane
                let gradient = outputGradient + (n * g.outChannels + group * og) * g.outPlane
                let result = weightGradient + group * g.groupWeightCount
                if g.isPointwise {
                    BLAS.sgemm(transposeB: true, m: og, n: cg, k: g.outPlane, a: gradient, b: image, beta: 1, c: result)
                    continue
                }
                for rows in blocks {
                    let width = rows.count * g.outWidth
                    Im2Col.unfold(image, channels: cg, geometry: g, rows: rows, into: columns.pointer)
                    BLAS.sgemm(transposeB: true, m: og, n: patch, k: width,
                               a: gradient + rows.lowerBound * g.outWidth, lda: g.outPlane,
                               b: columns.pointer, ldb: width, beta: 1, c: result)
                }
            }
        }
    }
}
