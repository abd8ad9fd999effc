import CLumenKernels
import Testing
@testable import LumenTensor

/// One int8 convolution: sizes, zero points and the weight range.
struct Int8ConvolutionCase: CustomTestStringConvertible, Sendable {
    var inChannels: Int, outChannels: Int, height: Int, width: Int
    var kernel = 3, padding = 1
    var inputZero: UInt8 = 0, outputZero: UInt8 = 0, relu = true
    /// The widest weight magnitude drawn (63: 7 bits, 127: 8 bits).
    var weightLimit = 63
    /// Every activation at its maximum and every weight ±`weightLimit`, the sign
    /// alternating pair by pair of input channels: the largest int16 pair sums
    /// VPMADDUBSW can see.
    var saturating = false
    /// The largest input and output byte: 255, or 127 for 7-bit activations.
    var maximum: UInt8 = 255

    var testDescription: String {
        "\(inChannels)->\(outChannels) \(height)x\(width) k\(kernel) p\(padding) z\(inputZero)/\(outputZero) ±\(weightLimit)"
            + (relu ? " relu" : "") + (saturating ? " saturating" : "") + (maximum == 255 ? "" : " max \(maximum)")
    }

    static let all: [Int8ConvolutionCase] = [
        .init(inChannels: 3, outChannels: 32, height: 9, width: 37),
        .init(inChannels: 32, outChannels: 32, height: 5, width: 17),
        .init(inChannels: 64, outChannels: 24, height: 4, width: 50, relu: false),
        .init(inChannels: 5, outChannels: 7, height: 6, width: 1, inputZero: 77, outputZero: 128, relu: false),
        .init(inChannels: 6, outChannels: 3, height: 3, width: 33, kernel: 1, padding: 0, inputZero: 200, outputZero: 13),
        .init(inChannels: 4, outChannels: 9, height: 11, width: 13, kernel: 5, padding: 2, outputZero: 5),
        .init(inChannels: 8, outChannels: 4, height: 4, width: 40, kernel: 3, padding: 0, weightLimit: 127),
        .init(inChannels: 16, outChannels: 8, height: 3, width: 19, weightLimit: 63, saturating: true),
        .init(inChannels: 16, outChannels: 8, height: 3, width: 19, weightLimit: 127, saturating: true),
        .init(inChannels: 16, outChannels: 8, height: 3, width: 19, weightLimit: 127, saturating: true, maximum: 127),
        .init(inChannels: 32, outChannels: 12, height: 5, width: 21, inputZero: 60, outputZero: 64, relu: false, weightLimit: 127, maximum: 127),
    ]

    func weights(seed: UInt64) -> [Int8] {
        var generator = SplitMix64(seed: seed)
        let count = outChannels * inChannels * kernel * kernel
        if saturating {
            return (0..<count).map { i in
                // Channels 4g+0, 4g+1 (one VPMADDUBSW pair) share a sign; the next pair has the other.
                let c = (i / (kernel * kernel)) % inChannels
                return Int8(c / 2 % 2 == 0 ? weightLimit : -weightLimit)
            }
        }
        return (0..<count).map { _ in Int8(Int.random(in: -weightLimit...weightLimit, using: &generator)) }
    }

    func input(seed: UInt64) -> QuantizedActivations {
        var generator = SplitMix64(seed: seed)
        let activations = QuantizedActivations(channels: inChannels, height: height, width: width, border: padding,
                                               scale: 0.01, zeroPoint: inputZero, maximum: maximum)
        for c in 0..<inChannels {
            let quad = activations.interior(quad: c / 4) + c % 4
            for y in 0..<height {
                for x in 0..<width {
                    quad[4 * (y * activations.rowStride + x)] = saturating ? maximum : UInt8.random(in: 0...maximum, using: &generator)
                }
            }
        }
        return activations
    }
}

/// The textbook sum in Int and the documented epilogue in Swift's own float arithmetic.
struct ReferenceInt8Convolution {
    let c: Int8ConvolutionCase
    let weights: [Int8]
    let input: QuantizedActivations
    let scales: [Float], bias: [Float]
    let inputScale: Float = 0.01

    var outHeight: Int { c.height + 2 * c.padding - c.kernel + 1 }
    var outWidth: Int { c.width + 2 * c.padding - c.kernel + 1 }

    /// `Σ q·(byte − z)` at output (`o`, `y`, `x`); outside the input the byte is `z`.
    func sum(_ o: Int, _ y: Int, _ x: Int, depthwise: Bool = false) -> Int {
        var total = 0
        let channels = depthwise ? [o] : Array(0..<c.inChannels)
        for ch in channels {
            for ky in 0..<c.kernel {
                for kx in 0..<c.kernel {
                    let iy = y + ky - c.padding, ix = x + kx - c.padding
                    let byte = iy >= 0 && iy < c.height && ix >= 0 && ix < c.width ? Int(input[ch, iy, ix]) : Int(c.inputZero)
                    let w = depthwise ? weights[(o * c.kernel + ky) * c.kernel + kx]
                        : weights[((o * c.inChannels + ch) * c.kernel + ky) * c.kernel + kx]
                    total += Int(w) * (byte - Int(c.inputZero))
                }
            }
        }
        return total
    }

    func epilogueInputs(_ o: Int, outputScale: Double, outputZero: Double) -> (Float, Float) {
        (Float(Double(inputScale) * Double(scales[o]) / outputScale), Float(Double(bias[o]) / outputScale + outputZero))
    }

    func byte(_ o: Int, _ y: Int, _ x: Int, outputScale: Float, depthwise: Bool = false) -> UInt8 {
        let (m, b) = epilogueInputs(o, outputScale: Double(outputScale), outputZero: Double(c.outputZero))
        let low: Float = c.relu ? Float(c.outputZero) : 0
        let value = b.addingProduct(Float(sum(o, y, x, depthwise: depthwise)), m)
        let high = Float(c.maximum)
        let clamped = value > low ? (value < high ? value : high) : low
        return UInt8(clamped.rounded(.toNearestOrEven))
    }

    func float(_ o: Int, _ y: Int, _ x: Int) -> Float {
        let (m, b) = epilogueInputs(o, outputScale: 1, outputZero: 0)
        return b.addingProduct(Float(sum(o, y, x)), m)
    }
}

@Suite("int8 convolution kernels")
struct Int8ConvolutionTests {
    static let outputScale: Float = 0.02

    func make(_ c: Int8ConvolutionCase, output: Int8ConvolutionOutput) -> (Int8Convolution, ReferenceInt8Convolution) {
        let weights = c.weights(seed: 7)
        var generator = SplitMix64(seed: 9)
        let scales = (0..<c.outChannels).map { o in o == 1 ? 1e-12 : Float.random(in: 0.001...0.01, using: &generator) }
        let bias = (0..<c.outChannels).map { _ in Float.random(in: -2...2, using: &generator) }
        let convolution = Int8Convolution(weights: weights, outChannels: c.outChannels, inChannels: c.inChannels,
                                          kernelHeight: c.kernel, kernelWidth: c.kernel, padding: c.padding,
                                          weightScales: scales, bias: bias, inputScale: 0.01, inputZeroPoint: c.inputZero,
                                          output: output)
        return (convolution, ReferenceInt8Convolution(c: c, weights: weights, input: c.input(seed: 3), scales: scales, bias: bias))
    }

    /// The sets this CPU has that compute this case exactly.
    func sets(for convolution: Int8Convolution, maxInput: UInt8 = 255) -> [Int8InstructionSet] {
        Int8InstructionSet.supported.filter { $0.isExact(maxWeight: convolution.maxWeight, maxInput: Int(maxInput)) }
    }

    @Test("bytes equal the reference for every instruction set", arguments: Int8ConvolutionCase.all)
    func bytes(_ c: Int8ConvolutionCase) {
        let output = Int8ConvolutionOutput.bytes(scale: Self.outputScale, zeroPoint: c.outputZero, maximum: c.maximum, relu: c.relu)
        let (convolution, reference) = make(c, output: output)
        #expect(convolution.maxWeight <= c.weightLimit && (!c.saturating || convolution.maxWeight == c.weightLimit))
        let sets = sets(for: convolution, maxInput: c.maximum)
        #expect(sets.contains(.avx2) == (Int8InstructionSet.avx2.isSupported && 2 * c.weightLimit * Int(c.maximum) <= 32767))
        for isa in sets {
            let result = QuantizedActivations(channels: c.outChannels, height: reference.outHeight, width: reference.outWidth,
                                              border: 1, scale: Self.outputScale, zeroPoint: c.outputZero, maximum: c.maximum)
            convolution(reference.input, into: result, using: isa)
            var mismatches = 0
            for o in 0..<c.outChannels {
                for y in 0..<reference.outHeight {
                    for x in 0..<reference.outWidth where result[o, y, x] != reference.byte(o, y, x, outputScale: Self.outputScale) {
                        mismatches += 1
                    }
                }
            }
            #expect(mismatches == 0, "\(isa): \(mismatches) bytes differ")
            #expect((0..<c.outChannels).allSatisfy { o in result[o, 0, 0] <= c.maximum })
            // The border the next convolution reads as zero is untouched.
            let border = result.interior(quad: 0) - 4 * (result.rowStride + 1)
            #expect((0..<4 * result.rowStride).allSatisfy { border[$0] == c.outputZero }, "\(isa) wrote into the border")
        }
    }

    @Test("floats equal the reference for every instruction set", arguments: Int8ConvolutionCase.all.prefix(6) + Int8ConvolutionCase.all.suffix(1))
    func floats(_ c: Int8ConvolutionCase) {
        let (convolution, reference) = make(c, output: .floats)
        for isa in sets(for: convolution, maxInput: c.maximum) {
            let values = convolution.floats(reference.input, using: isa).scalars
            var mismatches = 0
            for o in 0..<c.outChannels {
                for y in 0..<reference.outHeight {
                    for x in 0..<reference.outWidth
                    where values[(o * reference.outHeight + y) * reference.outWidth + x] != reference.float(o, y, x) {
                        mismatches += 1
                    }
                }
            }
            #expect(mismatches == 0, "\(isa): \(mismatches) values differ")
        }
    }

    @Test("the int8 convolution approximates the float convolution of the dequantised values")
    func matchesFloatConvolution() {
        let c = Int8ConvolutionCase(inChannels: 6, outChannels: 5, height: 7, width: 9, inputZero: 30, relu: false)
        let (convolution, reference) = make(c, output: .floats)
        let x = reference.input.dequantized()
        let w = Tensor(shape: [5, 6, 3, 3], scalars: reference.weights.enumerated().map { i, q in Float(q) * reference.scales[i / 54] })
        let expected = conv2d(x, weight: w, bias: Tensor(shape: [5], scalars: reference.bias), padding: 1)
        let worst = zip(convolution.floats(reference.input).scalars, expected.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "worst difference \(worst)")
    }

    @Test("AVX2 is exact for 8-bit bytes with 7-bit weights or 7-bit bytes with 8-bit weights; every other set for both at 8 bits")
    func exactness() {
        #expect(Int8InstructionSet.avx2.isExact(maxWeight: 63, maxInput: 255))
        #expect(Int8InstructionSet.avx2.isExact(maxWeight: 127, maxInput: 127))
        #expect(Int8InstructionSet.avx2.isExact(maxWeight: 64, maxInput: 255))
        #expect(!Int8InstructionSet.avx2.isExact(maxWeight: 65, maxInput: 255))
        #expect(!Int8InstructionSet.avx2.isExact(maxWeight: 127, maxInput: 255))
        for isa in [Int8InstructionSet.scalar, .avx512VNNI, .neon] { #expect(isa.isExact(maxWeight: 127, maxInput: 255)) }
        #expect(Int8InstructionSet.forConvolution(maxWeight: 127, maxInput: 255).isExact(maxWeight: 127, maxInput: 255))
    }

    /// Why the rule exists: 8-bit weights on 8-bit bytes, run on the AVX2 kernel anyway
    /// (past the check), saturate VPMADDUBSW's int16 pairs and give other bytes.
    @Test("AVX2 saturates 8-bit weights on 8-bit bytes", .enabled(if: Int8InstructionSet.avx2.isSupported))
    func avx2Saturates() {
        let c = Int8ConvolutionCase(inChannels: 16, outChannels: 8, height: 3, width: 19, weightLimit: 127, saturating: true)
        let (convolution, reference) = make(c, output: .floats)
        let input = reference.input
        let size = convolution.outputSize(height: c.height, width: c.width)
        func run(_ isa: Int8InstructionSet) -> [Float] {
            var shape = lumen_qconv_shape(in_groups: Int32(input.quads), out_channels: Int32(c.outChannels), kernel_h: 3, kernel_w: 3,
                                          out_h: Int32(size.height), out_w: Int32(size.width),
                                          in_row_stride: input.rowStride, in_group_stride: input.quadStride,
                                          out_row_stride: size.width, out_plane_stride: size.height * size.width)
            var result = [Float](repeating: 0, count: c.outChannels * size.height * size.width)
            let window = UnsafePointer(input.interior(quad: 0) - 4 * (input.rowStride + 1))
            convolution.packed.withUnsafeBufferPointer { weights in
                convolution.epilogue.withKernelEpilogue { epilogue in
                    result.withUnsafeMutableBufferPointer { out in
                        lumen_qconv(isa.code, &shape, window, weights.baseAddress, epilogue, nil, out.baseAddress, 0, Int32(size.height))
                    }
                }
            }
            return result
        }
        #expect(run(.avx2) != run(.scalar))
    }

    @Test("depthwise bytes equal the reference for every instruction set",
          arguments: [Int8ConvolutionCase(inChannels: 32, outChannels: 32, height: 6, width: 45, inputZero: 0, outputZero: 120, relu: false),
                      Int8ConvolutionCase(inChannels: 3, outChannels: 3, height: 5, width: 3, inputZero: 9, outputZero: 0),
                      Int8ConvolutionCase(inChannels: 7, outChannels: 7, height: 4, width: 70, kernel: 5, padding: 2, weightLimit: 127)])
    func depthwise(_ c: Int8ConvolutionCase) {
        var generator = SplitMix64(seed: 5)
        let weights = (0..<c.inChannels * c.kernel * c.kernel).map { _ in Int8(Int.random(in: -c.weightLimit...c.weightLimit, using: &generator)) }
        let scales = (0..<c.inChannels).map { _ in Float.random(in: 0.001...0.01, using: &generator) }
        let bias = (0..<c.inChannels).map { _ in Float.random(in: -1...1, using: &generator) }
        let output = Int8ConvolutionOutput.bytes(scale: Self.outputScale, zeroPoint: c.outputZero, relu: c.relu)
        let convolution = Int8DepthwiseConvolution(weights: weights, channels: c.inChannels, kernelSize: c.kernel, padding: c.padding,
                                                   weightScales: scales, bias: bias, inputScale: 0.01,
                                                   inputZeroPoint: c.inputZero, output: output)
        let reference = ReferenceInt8Convolution(c: c, weights: weights, input: c.input(seed: 4), scales: scales, bias: bias)
        for isa in Int8InstructionSet.supported {
            let result = QuantizedActivations(channels: c.inChannels, height: reference.outHeight, width: reference.outWidth,
                                              border: 0, scale: Self.outputScale, zeroPoint: c.outputZero)
            convolution(reference.input, into: result, using: isa)
            var mismatches = 0
            for o in 0..<c.inChannels {
                for y in 0..<reference.outHeight {
                    for x in 0..<reference.outWidth
                    where result[o, y, x] != reference.byte(o, y, x, outputScale: Self.outputScale, depthwise: true) {
                        mismatches += 1
                    }
                }
            }
            #expect(mismatches == 0, "\(isa): \(mismatches) bytes differ")
        }
    }

    @Test("quantising and dequantising round to the nearest step and clamp")
    func quantisation() {
        let tensor = Tensor(shape: [1, 5, 1, 2], scalars: [0, 0.004, 0.006, 1, 2.6, -1, .nan, 0.5, 0.25, 0.015])
        let q = QuantizedActivations(quantizing: tensor, scale: 0.01, zeroPoint: 10, border: 2)
        #expect((0..<5).flatMap { c in (0..<2).map { q[c, 0, $0] } } == [10, 10, 11, 110, 255, 0, 0, 60, 35, 12])
        #expect(q.dequantized().scalars.map { ($0 * 100).rounded() } == [0, 0, 1, 100, 245, -10, -10, 50, 25, 2])
    }
}
