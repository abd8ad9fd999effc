import LumenNN
import LumenTensor

/// The arithmetic of a training run's steps (`lumen train --precision`).
public enum TrainingPrecision: String, Sendable, Codable, CaseIterable {
    /// Everything in float32.
    case float32 = "fp32"
    /// bfloat16 mixed precision (``MixedPrecision``): activations stored as bfloat16,
    /// convolution products of bfloat16 operands with float32 sums, float32 master
    /// weights, gradients and optimiser; dynamic loss scaling. Validation, previews
    /// and the saved weights are float32.
    case bfloat16 = "bf16"

    /// Runs one training step (forward and backward) in this precision.
    public func run<R>(_ step: () throws -> R) rethrows -> R {
        switch self {
        case .float32: try step()
        case .bfloat16: try withBFloat16Activations(step)
        }
    }

    /// The loss scaler a fresh run starts with: none for float32, PyTorch's
    /// `GradScaler` defaults for bfloat16.
    public var initialScaler: LossScaler {
        switch self {
        case .float32: .disabled
        case .bfloat16: .standard
        }
    }
}
