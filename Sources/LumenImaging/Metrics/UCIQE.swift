import Foundation
import LumenTensor

/// Underwater colour image quality evaluation (Yang & Sowmya 2015, "An Underwater
/// Color Image Quality Evaluation Metric", https://doi.org/10.1109/TIP.2015.2491020):
/// `0.4680 · σc + 0.2745 · conl + 0.2576 · μs` in CIELab. Higher is better.
///
/// - `σc`: the standard deviation of the chroma `c = sqrt(a² + b²) / 255`;
/// - `conl`: the contrast of luminance, the mean of the brightest 1 % of
///   `ℓ = L / 100` minus the mean of the darkest 1 % (`round(0.01 N)` pixels, at least one);
/// - `μs`: the mean saturation `c / sqrt(c² + ℓ²)` (0 for black).
///
/// Lab is ``Lab/fromRGB(_:)`` (OpenCV's constants); the scaling is that of the
/// authors' code, which divides OpenCV's 8-bit Lab by 255 (`L` becomes `L / 100`),
/// except that `a` and `b` keep their zero at neutral gray rather than at 128.
///
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`.
public func uciqe(_ image: Tensor) -> Double {
    _ = imageSize(image, channels: 3, for: "UCIQE")
    let lab = Plane.channels(of: Lab.fromRGB(image))
    let count = lab[0].values.count
    let lightness = lab[0].values.map { $0 / 100 }
    let chroma = (0..<count).map { (lab[1].values[$0] * lab[1].values[$0] + lab[2].values[$0] * lab[2].values[$0]).squareRoot() / 255 }
    let meanChroma = chroma.reduce(0, +) / Double(count)
    let chromaDeviation = (chroma.reduce(0) { $0 + ($1 - meanChroma) * ($1 - meanChroma) } / Double(count)).squareRoot()
    let tail = max(1, Int((0.01 * Double(count)).rounded()))
    let sorted = lightness.sorted()
    let contrast = (sorted.suffix(tail).reduce(0, +) - sorted.prefix(tail).reduce(0, +)) / Double(tail)
    let saturation = (0..<count).reduce(0.0) { sum, index in
        let magnitude = (chroma[index] * chroma[index] + lightness[index] * lightness[index]).squareRoot()
        return sum + (magnitude > 0 ? chroma[index] / magnitude : 0)
    } / Double(count)
    return 0.4680 * chromaDeviation + 0.2745 * contrast + 0.2576 * saturation
}
