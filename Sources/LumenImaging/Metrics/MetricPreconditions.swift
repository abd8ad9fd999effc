import LumenTensor

/// The height and width of `image`, which must be one image `[1, C, H, W]` with
/// `channels` channels when given; a programmer error otherwise (``ImageMetric``
/// checks user input before calling the metric functions).
func imageSize(_ image: Tensor, channels: Int? = nil, for metric: String) -> (height: Int, width: Int) {
    let dimensions = image.shape.dimensions
    precondition(dimensions.count == 4 && dimensions[0] == 1 && (channels == nil || dimensions[1] == channels),
                 "\(metric) of a tensor of shape \(image.shape); expected [1, \(channels.map(String.init) ?? "C"), H, W]")
    return (dimensions[2], dimensions[3])
}

/// Checks that `image` and `other` are single images of the same shape and returns their size.
func pairSize(_ image: Tensor, _ other: Tensor, channels: Int? = nil, for metric: String) -> (height: Int, width: Int) {
    precondition(image.shape == other.shape, "\(metric) of images of shapes \(image.shape) and \(other.shape)")
    return imageSize(image, channels: channels, for: metric)
}
