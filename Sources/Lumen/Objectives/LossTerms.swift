import LumenTensor

/// One named term of a training objective: its raw value, its weight, and the
/// weighted value that enters the total.
public struct LossTerm: Sendable {
    /// The term's name for logs, e.g. `spatial`.
    public let name: String
    /// The unweighted loss, a scalar tensor (still part of the graph).
    public let value: Tensor
    /// The factor the term is multiplied by in the total.
    public let weight: Float
    /// `weight · value`, a scalar tensor.
    public let weighted: Tensor

    /// Creates a term, computing `weighted = weight · value`.
    public init(name: String, value: Tensor, weight: Float) {
        self.name = name
        self.value = value
        self.weight = weight
        weighted = weight * value
    }
}

/// Named, weighted loss terms; ``total`` (the sum of the weighted terms) is
/// what backpropagates.
///
/// ```swift
/// let losses = ZeroDCEObjective.zeroDCE(input: image, output: model(image))
/// losses.total.backward()
/// for term in losses.terms { print(term.name, term.value.scalar, term.weighted.scalar) }
/// ```
public struct LossTerms: Sendable {
    /// The terms in the objective's order.
    public let terms: [LossTerm]
    /// `Σ weight · value` over the terms, a scalar tensor.
    public let total: Tensor

    /// Combines `terms`, which must not be empty.
    public init(_ terms: [LossTerm]) {
        precondition(!terms.isEmpty, "LossTerms needs at least one term")
        self.terms = terms
        total = terms.dropFirst().reduce(terms[0].weighted) { $0 + $1.weighted }
    }

    /// The term called `name`, or `nil`.
    public subscript(name: String) -> LossTerm? {
        terms.first { $0.name == name }
    }
}
