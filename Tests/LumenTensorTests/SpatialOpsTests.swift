import LumenTensor
import Testing

@Suite struct SpatialOpsTests {
    let plane = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init))

    @Test func pooling() {
        #expect(plane.avgPool2d(kernelSize: 2).scalars == [2.5, 4.5, 10.5, 12.5])
        #expect(plane.maxPool2d(kernelSize: 2).scalars == [5, 7, 13, 15])
        // count_include_pad: the corner window holds one real value out of four.
        #expect(plane.avgPool2d(kernelSize: 2, stride: 2, padding: 1).scalars[0] == 0)
        #expect(plane.maxPool2d(kernelSize: 3, stride: 1, padding: 1).scalars[0] == 5)
        #expect(plane.adaptiveAvgPool2d(outputSize: (1, 1)).scalars == [7.5])
        // Overlapping adaptive windows for 4 -> 3: rows 0..<2, 1..<3, 2..<4.
        #expect(plane.adaptiveAvgPool2d(outputSize: (3, 3)).scalars[0] == 2.5)
    }

    @Test func bilinearAlignCornersFalseMatchesPyTorch() {
        // torch.nn.functional.interpolate(arange(4).view(1,1,1,4), size=(1,8), mode='bilinear')
        let row = Tensor(shape: [1, 1, 1, 4], scalars: [0, 1, 2, 3])
        let up = row.resizedBilinear(height: 1, width: 8, alignCorners: false).scalars
        #expect(up == [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3])
        let down = Tensor(shape: [1, 1, 1, 8], scalars: (0..<8).map(Float.init)).resizedBilinear(height: 1, width: 2, alignCorners: false)
        #expect(down.scalars == [1.5, 5.5])
    }

    @Test func bilinearAlignCornersTrueKeepsCorners() {
        let row = Tensor(shape: [1, 1, 1, 3], scalars: [0, 1, 2])
        let up = row.resizedBilinear(height: 1, width: 5, alignCorners: true).scalars
        #expect(up == [0, 0.5, 1, 1.5, 2])
    }

    @Test func nearestResize() {
        let row = Tensor(shape: [1, 1, 1, 3], scalars: [0, 1, 2])
        #expect(row.resizedNearest(height: 1, width: 6).scalars == [0, 0, 1, 1, 2, 2])
        #expect(plane.resizedNearest(height: 2, width: 2).scalars == [0, 2, 8, 10])
    }

    @Test func batchNormTrainingAndEvaluation() {
        let x = Tensor(shape: [2, 1, 1, 2], scalars: [1, 2, 3, 6])
        let mean = Tensor(zeros: [1]), variance = Tensor(repeating: 1, shape: [1])
        let y = x.batchNormalized(runningMean: mean, runningVariance: variance, weight: nil, bias: nil, training: true)
        // Batch mean 3, biased variance 3.5, unbiased 14/3.
        #expect(Swift.abs(y.scalars[0] - (1 - 3) / (3.5 + 1e-5).squareRoot()) < 1e-6)
        #expect(Swift.abs(mean.scalar - 0.3) < 1e-6)
        #expect(Swift.abs(variance.scalar - (0.9 + 0.1 * 14 / 3)) < 1e-6)
        let z = x.batchNormalized(runningMean: mean, runningVariance: variance, weight: Tensor(shape: [1], scalars: [2]),
                                  bias: Tensor(shape: [1], scalars: [1]), training: false)
        #expect(Swift.abs(z.scalars[0] - (2 * (1 - 0.3) / (variance.scalar + 1e-5).squareRoot() + 1)) < 1e-5)
    }
}
