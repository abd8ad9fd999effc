import LumenTensor

extension Matte {
    /// `α·F + (1 − α)·B` per channel, with α this matte's 8-bit levels / 255, so the
    /// stored matte is exactly the alpha of the composite. `foreground` and
    /// `background` are `[1, C, H, W]` of this matte's size.
    public func composited(foreground: Tensor, background: Tensor) -> Tensor {
        let dimensions = foreground.shape.dimensions
        precondition(foreground.shape == background.shape && dimensions.count == 4 && dimensions[0] == 1
                     && dimensions[2] == height && dimensions[3] == width,
                     "compositing \(foreground.shape) over \(background.shape) with a \(width) x \(height) matte")
        let plane = width * height
        let alpha = levels.map { Float($0) / 255 }
        return Tensor(shape: foreground.shape) { output in
            foreground.withUnsafeBufferPointer { front in
                background.withUnsafeBufferPointer { back in
                    for index in 0..<output.count {
                        let a = alpha[index % plane]
                        output[index] = a * front[index] + (1 - a) * back[index]
                    }
                }
            }
        }
    }
}
