import LumenImaging
import LumenTensor
import LumenTestSupport
import Testing

/// What `ImageMetric.measure` rejects, and how it says so.
@Suite struct MetricErrorTests {
    func image(channels: Int = 3, height: Int, width: Int, seed: UInt64 = 1) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return Tensor.uniform(shape: [1, channels, height, width], in: 0...1, using: &generator)
    }

    @Test func sizesMustMatch() throws {
        let error = #expect(throws: MetricError.self) {
            try ImageMetric.ssim.measure(image(height: 16, width: 20), input: nil, reference: image(height: 20, width: 16))
        }
        #expect(error == .sizeMismatch(metric: .ssim, image: [1, 3, 16, 20], other: [1, 3, 20, 16]))
        #expect(error?.description == "ssim: the image is 20x16 but the reference is 16x20")
        let loe = #expect(throws: MetricError.self) {
            try ImageMetric.loe.measure(image(height: 16, width: 20), input: image(height: 16, width: 21), reference: nil)
        }
        #expect(loe?.description == "loe: the image is 20x16 but the input is 21x16")
    }

    @Test(arguments: ImageMetric.allCases.filter { $0.requirement == .reference })
    func fullReferenceMetricsNeedAReference(_ metric: ImageMetric) {
        let error = #expect(throws: MetricError.self) {
            try metric.measure(image(height: 200, width: 200), input: image(height: 200, width: 200), reference: nil)
        }
        #expect(error == .missingReference(metric: metric))
        #expect(error?.description.contains("reference image") == true)
    }

    @Test func lightnessOrderNeedsTheInput() {
        let error = #expect(throws: MetricError.self) {
            try ImageMetric.loe.measure(image(height: 8, width: 8), input: nil, reference: image(height: 8, width: 8))
        }
        #expect(error == .missingInput(metric: .loe))
        #expect(error?.description == "loe compares with the original input image; none was given")
    }

    @Test(arguments: [(ImageMetric.ssim, 10, 40), (.ssimY, 40, 10), (.msSSIM, 160, 300), (.niqe, 150, 100), (.brisque, 9, 7), (.uiqm, 7, 9)])
    func imagesTooSmallForTheWindow(_ metric: ImageMetric, height: Int, width: Int) {
        let small = image(height: height, width: width)
        let error = #expect(throws: MetricError.self) {
            try metric.measure(small, input: small, reference: small)
        }
        #expect(error == .imageTooSmall(metric: metric, width: width, height: height))
        #expect(error?.description.hasSuffix("the image is \(width)x\(height)") == true)
    }

    @Test func onlyRGBAndGrayImages() throws {
        let rgba = image(channels: 4, height: 8, width: 8)
        let error = #expect(throws: MetricError.self) { try ImageMetric.entropy.measure(rgba, input: nil, reference: nil) }
        #expect(error == .unsupportedChannelCount(metric: .entropy, channels: 4))
        #expect(error?.description == "entropy needs an RGB or gray image; this one has 4 channels")
        let gray = image(channels: 1, height: 12, width: 12)
        let rgb = Gray.toRGB(gray)
        #expect(try ImageMetric.colorfulness.measure(gray, input: nil, reference: nil) == 0)
        #expect(try ImageMetric.ssim.measure(gray, input: nil, reference: rgb) == 1)
    }

    @Test(arguments: ImageMetric.allCases)
    func everyMetricMeasuresAPhotoSizedImage(_ metric: ImageMetric) throws {
        let (enhanced, other) = (image(height: 200, width: 208, seed: 4), image(height: 200, width: 208, seed: 5))
        let value = try metric.measure(enhanced, input: other, reference: other)
        #expect(value.isFinite)
        #expect(ImageMetric(rawValue: metric.rawValue) == metric)
        #expect(!metric.displayName.isEmpty)
    }

    @Test func directions() {
        #expect(ImageMetric.allCases.filter { !$0.higherIsBetter } == [.loe, .niqe, .brisque, .exposureError, .colorError])
        #expect(ImageMetric.loe.requirement == .input)
        #expect(ImageMetric.allCases.filter { $0.requirement == .none } == [.niqe, .brisque, .uiqm, .uciqe, .entropy, .colorfulness, .exposureError, .colorError])
    }
}
