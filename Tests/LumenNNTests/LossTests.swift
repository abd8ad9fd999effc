import LumenNN
import LumenTensor
import Testing

@Suite struct LossTests {
    static let prediction = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
    static let target = Tensor(shape: [1, 1, 2, 2], scalars: [0, 2, 5, 3.5])   // differences 1, 0, −2, 0.5

    @Test func l1() {
        #expect(l1Loss(Self.prediction, Self.target).scalar == 0.875)
        #expect(l1Loss(Self.prediction, Self.target, reduction: .sum).scalar == 3.5)
        let terms = l1Loss(Self.prediction, Self.target, reduction: .none)
        #expect(terms.shape == [1, 1, 2, 2] && terms.scalars == [1, 0, 2, 0.5])
    }

    @Test func mse() {
        #expect(mseLoss(Self.prediction, Self.target).scalar == 1.3125)
        #expect(mseLoss(Self.prediction, Self.target, reduction: .sum).scalar == 5.25)
        #expect(mseLoss(Self.prediction, Self.target, reduction: .none).scalars == [1, 0, 4, 0.25])
    }

    @Test func charbonnier() {
        let terms = [1.0, 0, 4, 0.25].map { ($0 + 1e-6).squareRoot() }
        expectClose(charbonnierLoss(Self.prediction, Self.target, reduction: .none).scalars, terms)
        expectClose([charbonnierLoss(Self.prediction, Self.target).scalar], [terms.reduce(0, +) / 4])
        expectClose([charbonnierLoss(Self.prediction, Self.target, epsilon: 0.5, reduction: .sum).scalar],
                    [[1.0, 0, 4, 0.25].map { ($0 + 0.25).squareRoot() }.reduce(0, +)])
    }

    @Test(arguments: LossReduction.allCases)
    func gradientsAreFiniteAtZeroDifference(_ reduction: LossReduction) {
        let x = Tensor(shape: [4], scalars: [1, 2, 3, 4], requiresGradient: true)
        let y = Tensor(shape: [4], scalars: [1, 2, 3, 4])
        charbonnierLoss(x, y, reduction: reduction).sum().backward()
        #expect(x.gradient!.scalars == [0, 0, 0, 0])
    }

    @Test func mseGradient() {
        let x = Tensor(shape: [4], scalars: [1, 2, 3, 4], requiresGradient: true)
        mseLoss(x, Tensor(shape: [4], scalars: [0, 2, 5, 3.5])).backward()
        expectClose(x.gradient!.scalars, [0.5, 0, -1, 0.25])
    }
}
