extension ImageMetric {
    /// Why `value`, a result of ``measure(_:input:reference:)``, is not a number
    /// that a mean or a JSON file can hold, or `nil` when it is finite.
    ///
    /// Two cases occur: PSNR of two identical images is +∞ (no error at all), and the
    /// natural-scene statistics of NIQE and BRISQUE are undefined (NaN) on a flat
    /// image, whose local contrast is zero everywhere. Lumen reports such a value as
    /// undefined with this reason (`null` in JSON) and leaves it out of means, which
    /// then say over how many images they were taken.
    public func undefinedReason(_ value: Double) -> String? {
        if value.isFinite { return nil }
        if value == .infinity, self == .psnr || self == .psnrY { return "is infinite: the images are identical" }
        if value.isNaN { return "is undefined (NaN) for this image, as on a flat image with no texture" }
        return "is \(value), not a finite number"
    }
}
