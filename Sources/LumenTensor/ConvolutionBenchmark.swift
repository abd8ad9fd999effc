import Dispatch

/// Times `conv2d` forward and backward for one layer shape, for `lumen bench`.
///
/// Forward computes `[N, inC, H, W] ⋆ [outC, inC, k, k] -> [N, outC, H', W']` with
/// bias; backward computes the input and weight gradients. Each is run `warmup`
/// times, then `repeats` times, and the median is reported, in GFLOP/s with
/// `2 · N · outC · H' · W' · inC · k²` flops forward and twice that backward
/// (the PyTorch comparison script, `scripts/bench_conv_torch.py`, counts the same).
///
/// ```swift
/// let result = ConvolutionBenchmark(inputChannels: 32, outputChannels: 32, height: 400, width: 600).run()
/// print(result.forwardGFLOPS)
/// ```
public struct ConvolutionBenchmark: Sendable {
    public var batch: Int
    public var inputChannels: Int
    public var outputChannels: Int
    public var height: Int
    public var width: Int
    public var kernelSize: Int
    public var padding: Int
    /// Untimed runs before measuring (page faults, caches, thread start-up).
    public var warmup = 2
    /// Timed runs; the median is reported.
    public var repeats = 5

    /// The measured medians.
    public struct Result: Sendable {
        public let forwardSeconds: Double
        public let backwardSeconds: Double
        public let forwardGFLOPS: Double
        public let backwardGFLOPS: Double
    }

    /// A stride-1 layer; the defaults are the 3x3 "same" convolutions of Zero-DCE.
    public init(batch: Int = 1, inputChannels: Int, outputChannels: Int, height: Int, width: Int,
                kernelSize: Int = 3, padding: Int = 1) {
        (self.batch, self.inputChannels, self.outputChannels) = (batch, inputChannels, outputChannels)
        (self.height, self.width, self.kernelSize, self.padding) = (height, width, kernelSize, padding)
    }

    /// Runs the measurement with ``Runtime/threadCount`` threads and the active instruction set.
    public func run() -> Result {
        var generator = SplitMix64(seed: 7)
        let input = Tensor.uniform(shape: [batch, inputChannels, height, width], in: -1...1, using: &generator)
        let weight = Tensor.uniform(shape: [outputChannels, inputChannels, kernelSize, kernelSize], in: -0.1...0.1,
                                    using: &generator)
        let bias = Tensor.uniform(shape: [outputChannels], in: -0.1...0.1, using: &generator)
        let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: 1, padding: Pair(padding),
                                           dilation: 1, groups: 1)
        let outputGradient = Tensor.uniform(shape: geometry.outputShape, in: -1...1, using: &generator)
        let forward = median {
            _ = Convolution.forward(input, weight: weight, bias: bias, geometry: geometry)
        }
        let backward = median {
            _ = Convolution.inputGradient(outputGradient, weight: weight, geometry: geometry)
            _ = Convolution.weightGradient(outputGradient, input: input, geometry: geometry)
        }
        let flops = 2.0 * Double(geometry.outputShape.elementCount * inputChannels * kernelSize * kernelSize)
        return Result(forwardSeconds: forward, backwardSeconds: backward,
                      forwardGFLOPS: flops / forward / 1e9, backwardGFLOPS: 2 * flops / backward / 1e9)
    }

    private func median(_ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        let times = (0..<max(1, repeats)).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }.sorted()
        return times[times.count / 2]
    }
}
