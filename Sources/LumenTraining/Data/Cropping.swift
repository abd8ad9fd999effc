import LumenTensor

/// The geometric augmentations of zero-reference training.
enum Augmentation {
    /// Scales `[1, 3, H, W]` so its short side is `size` (area averaging), crops a
    /// random `size x size` square and flips it horizontally and vertically at random.
    static func cropAndFlip(_ image: Tensor, size: Int, using generator: inout SplitMix64) -> Tensor {
        withoutGradients {
            let scaled = scaledToShortSide(image, size: size)
            let top = Int.random(in: 0...(scaled.shape[2] - size), using: &generator)
            let left = Int.random(in: 0...(scaled.shape[3] - size), using: &generator)
            var x = scaled.sliced(axis: 2, range: top ..< top + size).sliced(axis: 3, range: left ..< left + size)
            if Bool.random(using: &generator) { x = x.flipped(axis: 3) }
            if Bool.random(using: &generator) { x = x.flipped(axis: 2) }
            return x
        }
    }

    /// Scales like ``cropAndFlip(_:size:using:)`` and keeps the centre square: previews.
    static func centerCrop(_ image: Tensor, size: Int) -> Tensor {
        withoutGradients {
            let scaled = scaledToShortSide(image, size: size)
            let top = (scaled.shape[2] - size) / 2, left = (scaled.shape[3] - size) / 2
            return scaled.sliced(axis: 2, range: top ..< top + size).sliced(axis: 3, range: left ..< left + size)
        }
    }

    /// `[1, 3, H, W]` scaled so its short side is `size`: area averaging when
    /// shrinking, bilinear when growing.
    static func scaledToShortSide(_ image: Tensor, size: Int) -> Tensor {
        let height = image.shape[2], width = image.shape[3]
        let scale = Double(size) / Double(min(height, width))
        let scaledHeight = max(size, Int((Double(height) * scale).rounded()))
        let scaledWidth = max(size, Int((Double(width) * scale).rounded()))
        if scaledHeight == height && scaledWidth == width { return image }
        return scaledHeight < height ? image.adaptiveAvgPool2d(outputSize: (scaledHeight, scaledWidth))
            : image.resizedBilinear(height: scaledHeight, width: scaledWidth, alignCorners: false)
    }
}
