import LumenTensor

/// The zero-reference training objective of Zero-DCE and Zero-DCE++:
///
///     total = smoothnessWeight · L_tvA + spatialWeight · L_spa
///           + colorWeight · L_col + exposureWeight · L_exp
///
/// with the terms of ``illuminationSmoothnessLoss(_:)``,
/// ``spatialConsistencyLoss(enhanced:original:)``, ``colorConstancyLoss(_:)`` and
/// ``exposureControlLoss(_:patchSize:wellExposedLevel:)``. Port of the loss in the
/// official `lowlight_train.py`
/// (https://github.com/Li-Chongyi/Zero-DCE/blob/master/Zero-DCE_code/lowlight_train.py;
/// Zero-DCE++: https://github.com/Li-Chongyi/Zero-DCE_extension).
///
/// ```swift
/// let losses = ZeroDCEObjective.zeroDCE(input: batch, output: model(batch))
/// losses.total.backward()
/// ```
public struct ZeroDCEObjective: Sendable, Hashable {
    /// Weight of the curve maps' total variation (200 for Zero-DCE, 1600 for Zero-DCE++).
    public var smoothnessWeight: Float
    /// Weight of the spatial consistency loss.
    public var spatialWeight: Float
    /// Weight of the colour constancy loss.
    public var colorWeight: Float
    /// Weight of the exposure control loss.
    public var exposureWeight: Float
    /// Patch side of the exposure control loss.
    public var exposurePatchSize: Int
    /// Target brightness `E` of the exposure control loss.
    public var wellExposedLevel: Float

    /// Creates an objective; the defaults are Zero-DCE's official settings.
    public init(smoothnessWeight: Float = 200, spatialWeight: Float = 1, colorWeight: Float = 5,
                exposureWeight: Float = 10, exposurePatchSize: Int = 16, wellExposedLevel: Float = 0.6) {
        self.smoothnessWeight = smoothnessWeight
        self.spatialWeight = spatialWeight
        self.colorWeight = colorWeight
        self.exposureWeight = exposureWeight
        self.exposurePatchSize = exposurePatchSize
        self.wellExposedLevel = wellExposedLevel
    }

    /// Zero-DCE's official weights: smoothness 200, spatial 1, colour 5, exposure 10.
    public static let zeroDCE = ZeroDCEObjective()

    /// Zero-DCE++'s official weights: as Zero-DCE, but smoothness 1600.
    public static let zeroDCEPlusPlus = ZeroDCEObjective(smoothnessWeight: 1600)

    /// The loss terms, in the order `spatial`, `exposure`, `color`, `smoothness`.
    /// - Parameters:
    ///   - input: the low-light input `[N, 3, H, W]`.
    ///   - enhanced: the enhanced image, same shape.
    ///   - curves: the curve maps `[N, C, H, W]`.
    public func callAsFunction(input: Tensor, enhanced: Tensor, curves: Tensor) -> LossTerms {
        LossTerms([
            LossTerm(name: "spatial", value: spatialConsistencyLoss(enhanced: enhanced, original: input),
                     weight: spatialWeight),
            LossTerm(name: "exposure", value: exposureControlLoss(enhanced, patchSize: exposurePatchSize,
                                                                  wellExposedLevel: wellExposedLevel),
                     weight: exposureWeight),
            LossTerm(name: "color", value: colorConstancyLoss(enhanced), weight: colorWeight),
            LossTerm(name: "smoothness", value: illuminationSmoothnessLoss(curves), weight: smoothnessWeight),
        ])
    }

    /// The loss terms of a Zero-DCE forward pass on `input`.
    public func callAsFunction(input: Tensor, output: ZeroDCE.Output) -> LossTerms {
        self(input: input, enhanced: output.enhanced, curves: output.curves)
    }

    /// The loss terms of a Zero-DCE++ forward pass on `input`.
    public func callAsFunction(input: Tensor, output: ZeroDCEPlusPlus.Output) -> LossTerms {
        self(input: input, enhanced: output.enhanced, curves: output.curve)
    }
}
