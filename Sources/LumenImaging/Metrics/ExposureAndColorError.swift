import LumenTensor

/// How far an enhanced image's local brightness is from well exposed: the root
/// mean square, over the non-overlapping `patchSize` x `patchSize` patches, of
/// the patch's mean brightness (the mean of R, G and B) minus `wellExposedLevel`.
///
/// It is the square root of Zero-DCE's exposure control loss (`L_exp(16, 0.6)`,
/// `exposureControlLoss` in `Lumen`), computed in double precision, so that it
/// reads in brightness units: 0.1 means patches are, typically, 0.1 off 0.6. As
/// the loss, rows and columns beyond the last whole patch are ignored.
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`, H and W at least `patchSize`.
public func exposureError(_ image: Tensor, patchSize: Int = 16, wellExposedLevel: Double = 0.6) -> Double {
    let (height, width) = imageSize(image, channels: 3, for: "exposure error")
    precondition(height >= patchSize && width >= patchSize, "exposure error of \(image.shape): smaller than one \(patchSize)x\(patchSize) patch")
    let rgb = Plane.channels(of: image)
    let brightness = Plane.combining(Plane.combining(rgb[0], rgb[1], +), rgb[2]) { ($0 + $1) / 3 }
    let (rows, columns) = (height / patchSize, width / patchSize)
    var sum = 0.0
    for row in 0..<rows {
        for column in 0..<columns {
            var patch = 0.0
            for y in row * patchSize..<(row + 1) * patchSize {
                for x in column * patchSize..<(column + 1) * patchSize { patch += brightness[y, x] }
            }
            let deviation = patch / Double(patchSize * patchSize) - wellExposedLevel
            sum += deviation * deviation
        }
    }
    return (sum / Double(rows * columns)).squareRoot()
}

/// How far an image's mean colour is from gray (the gray-world assumption): the
/// root mean square of the three differences between the channel means,
/// `√(((R − G)² + (R − B)² + (G − B)²) / 3)`, in `[0, 1]` units.
///
/// Zero-DCE's colour constancy loss (`colorConstancyLoss` in `Lumen`) weighs the
/// same three differences by their fourth powers, which suits a gradient but reads
/// poorly; this is their plain size. 0 for an image whose channels average alike.
/// - Parameter image: RGB `[1, 3, H, W]` in `[0, 1]`.
public func colorError(_ image: Tensor) -> Double {
    _ = imageSize(image, channels: 3, for: "colour error")
    let means = Plane.channels(of: image).map(\.mean)
    let (redGreen, redBlue, greenBlue) = (means[0] - means[1], means[0] - means[2], means[1] - means[2])
    return ((redGreen * redGreen + redBlue * redBlue + greenBlue * greenBlue) / 3).squareRoot()
}
