import Foundation
import LumenTensor

/// Peak signal-to-noise ratio in dB, `10 · log10(maxValue² / MSE)`, with the mean
/// squared error over every channel and pixel accumulated in double precision;
/// `.infinity` for identical images. Equals scikit-image's
/// `peak_signal_noise_ratio(reference, image, data_range=maxValue)`.
///
/// ```swift
/// let decibels = psnr(enhanced, groundTruth)
/// ```
/// - Parameters:
///   - image: `[1, C, H, W]`, values in `[0, maxValue]`.
///   - reference: the ground truth, the same shape.
///   - maxValue: the data range, 1 for Lumen's image tensors.
public func psnr(_ image: Tensor, _ reference: Tensor, maxValue: Double = 1) -> Double {
    _ = pairSize(image, reference, for: "PSNR")
    let squaredError = image.withUnsafeBufferPointer { a in
        reference.withUnsafeBufferPointer { b in
            zip(a, b).reduce(0.0) { sum, pair in
                let difference = Double(pair.0) - Double(pair.1)
                return sum + difference * difference
            }
        }
    }
    let meanSquaredError = squaredError / Double(image.scalarCount)
    return meanSquaredError == 0 ? .infinity : 10 * log10(maxValue * maxValue / meanSquaredError)
}

/// PSNR in dB of the luma channel only, Y of MATLAB's `rgb2ycbcr` (BT.601 studio
/// range, ``YCbCr/Range/studio``) with data range 1: the convention of the
/// super-resolution literature (BasicSR's `test_y_channel`).
/// - Parameters:
///   - image: RGB `[1, 3, H, W]` in `[0, 1]`.
///   - reference: the ground truth, the same shape.
public func psnrY(_ image: Tensor, _ reference: Tensor) -> Double {
    _ = pairSize(image, reference, channels: 3, for: "PSNR-Y")
    return psnr(YCbCr.luma(image, range: .studio), YCbCr.luma(reference, range: .studio))
}
