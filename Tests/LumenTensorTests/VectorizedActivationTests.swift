import CLumenKernels
import Foundation
import Testing
@testable import LumenTensor

/// The C kernels behind `tanh()` and `sigmoid()`: within 2e-7 of the exact values
/// on every instruction set this CPU has, in place too, with NaN kept.
@Suite struct VectorizedActivationTests {
    static let inputs: [Float] = stride(from: -20, through: 20, by: 0.00123).map(Float.init)
        + [0, -0, 1e-30, -1e-30, 0.549_999, 0.55, 0.550_001, 87, 88, 89, 1e4, -1e4, .infinity, -.infinity]

    @Test(arguments: InstructionSet.supported)
    func tanhAndSigmoidAreAccurate(_ isa: InstructionSet) {
        var values = Self.inputs
        var tanh = [Float](repeating: 0, count: values.count), sigmoid = tanh
        lumen_tanh(isa.code, values, &tanh, values.count)
        lumen_sigmoid(isa.code, values, &sigmoid, values.count)
        for (i, x) in values.enumerated() {
            let t = Foundation.tanh(Double(x)), s = 1 / (1 + Foundation.exp(-Double(x)))
            #expect(abs(Double(tanh[i]) - t) <= 2e-7 * max(1e-30, abs(t)) + 1e-38, "tanh(\(x)) = \(tanh[i]), not \(t)")
            #expect(abs(Double(sigmoid[i]) - s) <= 2e-7 * s + 1e-38, "sigmoid(\(x)) = \(sigmoid[i]), not \(s)")
        }
        lumen_tanh(isa.code, values, &values, values.count)
        #expect(values == tanh, "in place equals out of place")
        var nan: [Float] = [.nan, .nan]
        lumen_tanh(isa.code, nan, &nan, 1)
        lumen_sigmoid(isa.code, nan, &nan[1], 1)
        #expect(nan[0].isNaN && nan[1].isNaN)
    }
}
