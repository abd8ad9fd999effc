import Foundation
import Lumen
import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// The differentiable SSIM loss: its value against the forward metric, and its gradients.
@Suite struct SSIMLossTests {
    func random(_ shape: Shape, seed: UInt64) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: shape, in: 0...1, using: &generator)
    }

    /// A smooth image and a darkened, noisier copy: a pair with SSIM well inside (0, 1).
    func pair(height: Int, width: Int) -> (Tensor, Tensor) {
        let noise = random([1, 3, height, width], seed: 11)
        let clean = Tensor(shape: [1, 3, height, width], scalars: (0..<3 * height * width).map { index in
            let (channel, y, x) = (index / (height * width), index / width % height, index % width)
            return Float(0.5 + 0.4 * sin(Double(x + 7 * channel) / 5) * cos(Double(y) / 7))
        })
        let degraded = Tensor(shape: clean.shape, scalars: zip(clean.scalars, noise.scalars).map { value, noise in
            powf(value, 2.2) + (noise - 0.5) * 0.2
        })
        return (degraded, clean)
    }

    @Test func identicalImagesCostNothing() {
        let image = random([2, 3, 16, 16], seed: 1)
        #expect(Swift.abs(ssimLoss(image, image).scalar) < 1e-6)
    }

    @Test func valueIsOneMinusTheMetric() {
        let (prediction, target) = pair(height: 40, width: 52)
        let metric = ssim(prediction, target)
        #expect(metric > 0.1 && metric < 0.9)
        #expect(Swift.abs(Double(ssimLoss(prediction, target).scalar) - (1 - metric)) < 1e-5)
        let other = random([1, 3, 40, 52], seed: 2)
        #expect(Swift.abs(Double(ssimLoss(other, target).scalar) - (1 - ssim(other, target))) < 1e-5)
    }

    @Test func batchIsTheMeanOfItsImages() {
        let (a, target) = pair(height: 24, width: 20)
        let b = random([1, 3, 24, 20], seed: 3)
        let batch = ssimLoss(Tensor.concatenated([a, b], axis: 0), Tensor.concatenated([target, target], axis: 0))
        let separate = (ssimLoss(a, target).scalar + ssimLoss(b, target).scalar) / 2
        #expect(Swift.abs(batch.scalar - separate) < 1e-6)
    }

    @Test func gradients() {
        // The loss averages over few pixels here (2 x 3 x 3 x 2), so gradients are
        // about 1e-2; the tolerance is set well below that.
        let mismatches = checkGradients([random([2, 3, 13, 12], seed: 4), random([2, 3, 13, 12], seed: 5)],
                                        atol: 1e-4, rtol: 2e-2) {
            ssimLoss($0[0], $0[1])
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
