import LumenTensor

/// Applies `transform` to every pixel of `image` `[N, 3, H, W]` (or `[3, H, W]`),
/// giving a tensor of the same shape: the colour-space conversions' common loop.
func mappingPixels(_ image: Tensor, _ transform: (SIMD3<Float>) -> SIMD3<Float>) -> Tensor {
    let dimensions = image.shape.dimensions
    precondition((dimensions.count == 4 || dimensions.count == 3) && dimensions[dimensions.count - 3] == 3,
                 "colour conversion of shape \(image.shape); expected [N, 3, H, W] or [3, H, W]")
    let planeSize = dimensions[dimensions.count - 2] * dimensions[dimensions.count - 1]
    let images = image.scalarCount / (3 * planeSize)
    return Tensor(shape: image.shape) { output in
        image.withUnsafeBufferPointer { input in
            // Chunks write disjoint pixels.
            parallelFor(images * planeSize, grain: 16_384) { pixels in
                for index in pixels {
                    let base = index / planeSize * 3 * planeSize + index % planeSize
                    let result = transform(SIMD3(input[base], input[base + planeSize], input[base + 2 * planeSize]))
                    output[base] = result.x
                    output[base + planeSize] = result.y
                    output[base + 2 * planeSize] = result.z
                }
            }
        }
    }
}
