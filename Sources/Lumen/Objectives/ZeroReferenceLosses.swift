import LumenTensor

// The four zero-reference losses of Zero-DCE (Guo et al., CVPR 2020,
// https://arxiv.org/abs/2001.06826), ported from the official
// https://github.com/Li-Chongyi/Zero-DCE/blob/master/Zero-DCE_code/Myloss.py
// (`L_spa`, `L_exp`, `L_color`, `L_TV`) with the reductions that
// `lowlight_train.py` applies to them. Each returns a scalar (rank-0) tensor.

/// Spatial consistency loss: how much the enhanced image changes the contrast
/// between neighbouring regions of the original.
///
/// Both images are reduced to their channel mean and average-pooled over 4x4
/// blocks (`p_e`, `p_o`, `[N, 1, H/4, W/4]`). For each pooled pixel and each of
/// its four neighbours `q` (left, right, up, down; zero beyond the border, as
/// the official 3x3 difference kernels with `padding=1`):
///
///     E = mean over pixels of  Σ_q ((p_e − p_e[q]) − (p_o − p_o[q]))²
///
/// Port of `L_spa` (its unused `weight_diff` and `E_1` are omitted); symmetric
/// in its two arguments.
/// - Parameters:
///   - enhanced: the enhanced image `[N, 3, H, W]`, H and W at least 4.
///   - original: the input image, same shape.
/// - Returns: the loss, a scalar.
public func spatialConsistencyLoss(enhanced: Tensor, original: Tensor) -> Tensor {
    precondition(enhanced.shape == original.shape && enhanced.shape.rank == 4,
                 "spatialConsistencyLoss of \(enhanced.shape) and \(original.shape)")
    precondition(enhanced.shape[2] >= 4 && enhanced.shape[3] >= 4, "spatialConsistencyLoss needs H, W >= 4, got \(enhanced.shape)")
    func pooled(_ image: Tensor) -> Tensor {
        image.mean(axes: [1], keepDimensions: true).avgPool2d(kernelSize: 4)
    }
    // Neighbour differences are linear, so the difference of the two images'
    // differences is the difference taken on `p_e − p_o`.
    let delta = pooled(enhanced) - pooled(original)
    let height = delta.shape[2], width = delta.shape[3]
    let padded = delta.padded(Padding(1))
    func neighbour(rowOffset: Int, columnOffset: Int) -> Tensor {
        padded.sliced(axis: 2, range: (1 + rowOffset)..<(1 + rowOffset + height))
            .sliced(axis: 3, range: (1 + columnOffset)..<(1 + columnOffset + width))
    }
    let terms = [(0, -1), (0, 1), (-1, 0), (1, 0)].map { rowOffset, columnOffset in
        (delta - neighbour(rowOffset: rowOffset, columnOffset: columnOffset)).squared()
    }
    return terms.dropFirst().reduce(terms[0], +).mean()
}

/// Exposure control loss: how far the mean brightness of each patch is from a
/// well-exposed level.
///
///     E = mean over patches of (avgPool(mean_c(image), patchSize) − wellExposedLevel)²
///
/// Port of `L_exp(16, 0.6)`. As PyTorch's `AvgPool2d`, rows and columns beyond
/// the last whole patch are ignored.
/// - Parameters:
///   - image: the enhanced image `[N, 3, H, W]`, H and W at least `patchSize`.
///   - patchSize: the side of the non-overlapping patches (16 officially).
///   - wellExposedLevel: the target brightness `E` (0.6 officially).
/// - Returns: the loss, a scalar.
public func exposureControlLoss(_ image: Tensor, patchSize: Int = 16, wellExposedLevel: Float = 0.6) -> Tensor {
    precondition(image.shape.rank == 4 && image.shape[2] >= patchSize && image.shape[3] >= patchSize,
                 "exposureControlLoss with patch \(patchSize) of \(image.shape)")
    let brightness = image.mean(axes: [1], keepDimensions: true).avgPool2d(kernelSize: patchSize)
    return (brightness - wellExposedLevel).squared().mean()
}

/// Colour constancy loss (gray-world assumption): how different the mean
/// colour channels of each image are.
///
/// With the per-image channel means `R`, `G`, `B`:
///
///     E = mean over the batch of √((R − G)⁴ + (R − B)⁴ + (B − G)⁴)
///
/// The official `L_color` squares the squared differences again, hence the
/// fourth powers (the paper writes squares).
/// - Parameter image: the enhanced image `[N, 3, H, W]`.
/// - Returns: the loss, a scalar.
public func colorConstancyLoss(_ image: Tensor) -> Tensor {
    precondition(image.shape.rank == 4 && image.shape[1] == 3, "colorConstancyLoss of \(image.shape)")
    let means = image.mean(axes: [2, 3]).split(sizes: [1, 1, 1], axis: 1)
    let (red, green, blue) = (means[0], means[1], means[2])
    let sum = (red - green).squared().squared() + (red - blue).squared().squared() + (blue - green).squared().squared()
    // √ has an infinite derivative at 0, which times the zero derivative of the
    // fourth powers gives NaN for a gray image (as in the official code). The
    // loss behaves like a square there, so its true gradient is 0: flooring the
    // sum at the smallest normal float keeps √'s derivative finite and changes
    // no value above it.
    return Tensor.maximum(sum, Tensor(Float.leastNormalMagnitude)).sqrt().mean()
}

/// Illumination smoothness loss: total variation of the curve maps.
///
///     E = 2 · (Σ (A[i+1, j] − A[i, j])² / ((H − 1)·W) + Σ (A[i, j+1] − A[i, j])² / (H·(W − 1))) / N
///
/// Port of `L_TV`: the sums run over every batch entry and channel, and are
/// divided by the batch size but not by the channel count.
/// - Parameter curves: the curve maps `A` `[N, C, H, W]` (24 channels for
///   Zero-DCE, 3 for Zero-DCE++), H and W at least 2.
/// - Returns: the loss, a scalar.
public func illuminationSmoothnessLoss(_ curves: Tensor) -> Tensor {
    precondition(curves.shape.rank == 4 && curves.shape[2] >= 2 && curves.shape[3] >= 2,
                 "illuminationSmoothnessLoss of \(curves.shape)")
    let (batch, height, width) = (curves.shape[0], curves.shape[2], curves.shape[3])
    let vertical = (curves.sliced(axis: 2, range: 1..<height) - curves.sliced(axis: 2, range: 0..<(height - 1)))
        .squared().sum()
    let horizontal = (curves.sliced(axis: 3, range: 1..<width) - curves.sliced(axis: 3, range: 0..<(width - 1)))
        .squared().sum()
    let total = vertical / Float((height - 1) * width) + horizontal / Float(height * (width - 1))
    return 2 * total / Float(batch)
}
