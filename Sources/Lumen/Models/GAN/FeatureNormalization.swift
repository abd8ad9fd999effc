import LumenNN

/// The normalisation layer GAN generators and discriminators put after their
/// convolutions.
///
/// - `batch`: pix2pix's PatchGAN default; not for critics trained with WGAN-GP,
///   whose per-sample penalty batch statistics break, and its statistics in
///   evaluation mode make it a per-channel affine map, so inference tiles exactly.
/// - `instance`: CycleGAN's default; per-image statistics, so a tiled image is not
///   normalised like the whole one.
/// - `none`: with spectral norm, or where inference must tile exactly.
public enum FeatureNormalization: String, Sendable, CaseIterable, Codable {
    case batch, instance, none

    /// The layer for `channels` channels.
    public func layer(channels: Int) -> any UnaryLayer {
        switch self {
        case .batch: return BatchNorm2d(featureCount: channels)
        case .instance: return InstanceNorm2d(featureCount: channels)
        case .none: return Identity()
        }
    }
}
