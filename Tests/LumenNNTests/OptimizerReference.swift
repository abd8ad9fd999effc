import Foundation

/// The test problem `f(w) = Σ (w − t)²`, `∇f = 2(w − t)`, and PyTorch's published
/// update equations (docs of `torch.optim.SGD`, `Adam`, `AdamW`) evaluated in
/// Double, independently of the implementation.
enum Quadratic {
    static let start: [Double] = [1, -2, 0.5]
    static let target: [Double] = [0.5, 1, -1]

    static func gradient(_ w: [Double]) -> [Double] { zip(w, target).map { 2 * ($0 - $1) } }

    /// The weights after each of `steps` SGD steps.
    static func sgd(steps: Int, learningRate lr: Double, momentum mu: Double, dampening tau: Double,
                    nesterov: Bool, weightDecay lambda: Double) -> [[Double]] {
        var w = start, b: [Double]? = nil, trajectory: [[Double]] = []
        for _ in 0..<steps {
            var g = gradient(w)
            for i in g.indices { g[i] += lambda * w[i] }
            if mu != 0 {
                if var buffer = b {
                    for i in g.indices { buffer[i] = mu * buffer[i] + (1 - tau) * g[i] }
                    b = buffer
                } else {
                    b = g
                }
                g = nesterov ? g.indices.map { g[$0] + mu * b![$0] } : b!
            }
            for i in w.indices { w[i] -= lr * g[i] }
            trajectory.append(w)
        }
        return trajectory
    }

    /// The weights after each of `steps` Adam (`decoupled: false`) or AdamW steps.
    static func adam(steps: Int, learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double,
                     weightDecay lambda: Double, decoupled: Bool) -> [[Double]] {
        var w = start, m = [Double](repeating: 0, count: 3), v = m, trajectory: [[Double]] = []
        for t in 1...steps {
            var g = gradient(w)
            if decoupled {
                for i in w.indices { w[i] *= 1 - lr * lambda }
            } else {
                for i in g.indices { g[i] += lambda * w[i] }
            }
            for i in w.indices {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / (1 - pow(beta1, Double(t)))
                let vHat = v[i] / (1 - pow(beta2, Double(t)))
                w[i] -= lr * mHat / (vHat.squareRoot() + epsilon)
            }
            trajectory.append(w)
        }
        return trajectory
    }
}
