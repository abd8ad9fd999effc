import LumenTensor
import LumenTraining
import Testing

@Suite struct TrainingSamplerTests {
    @Test func orderIsAPermutationFixedBySeedAndEpoch() {
        let sampler = TrainingSampler(seed: 7, count: 50)
        let first = sampler.order(epoch: 0)
        #expect(first.sorted() == Array(0..<50))
        #expect(first == TrainingSampler(seed: 7, count: 50).order(epoch: 0))
        #expect(first != sampler.order(epoch: 1))
        #expect(first != TrainingSampler(seed: 8, count: 50).order(epoch: 0))
    }

    @Test func augmentationDrawsDependOnlyOnPosition() {
        let sampler = TrainingSampler(seed: 3, count: 10)
        var a = sampler.generator(epoch: 2, position: 5), b = sampler.generator(epoch: 2, position: 5)
        var c = sampler.generator(epoch: 2, position: 6)
        let x = a.next()
        #expect(x == b.next())
        #expect(x != c.next())
    }
}
