import LumenTensor

/// Colourfulness of Hasler & Süsstrunk 2003 ("Measuring colourfulness in natural
/// images", metric M3): `sqrt(σ²_rg + σ²_yb) + 0.3 · sqrt(μ²_rg + μ²_yb)` with
/// `rg = R − G`, `yb = (R + G) / 2 − B` on the 0–255 scale and population standard
/// deviations. 0 for gray images; about 15 is "slightly", 59 "quite" and 109
/// "extremely colourful" on the paper's scale.
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`.
public func colorfulness(_ image: Tensor) -> Double {
    _ = imageSize(image, channels: 3, for: "colourfulness")
    let rgb = Plane.channels(of: image, scale: 255)
    let redGreen = Plane.combining(rgb[0], rgb[1], -)
    let yellowBlue = Plane.combining(Plane.combining(rgb[0], rgb[1]) { ($0 + $1) / 2 }, rgb[2], -)
    let (meanRG, meanYB) = (redGreen.mean, yellowBlue.mean)
    let varianceRG = redGreen.values.reduce(0) { $0 + ($1 - meanRG) * ($1 - meanRG) } / Double(redGreen.values.count)
    let varianceYB = yellowBlue.values.reduce(0) { $0 + ($1 - meanYB) * ($1 - meanYB) } / Double(yellowBlue.values.count)
    return (varianceRG + varianceYB).squareRoot() + 0.3 * (meanRG * meanRG + meanYB * meanYB).squareRoot()
}
