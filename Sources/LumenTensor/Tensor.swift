/// A dense, contiguous, row-major float32 tensor with reverse-mode automatic
/// differentiation.
///
/// Images use the `[N, C, H, W]` layout. A tensor is a reference type so that
/// the autograd tape can refer to it and optimisers can update parameters in
/// place; its values never change otherwise. A tensor may be read from several
/// threads at once; gradients are written only by the thread that calls
/// ``backward(seed:)``.
///
/// ```swift
/// let w = Tensor(shape: [2], scalars: [1, 2], requiresGradient: true)
/// let loss = (w * w).sum()
/// loss.backward()
/// w.gradient?.scalars  // [2, 4]
/// ```
public final class Tensor: @unchecked Sendable {
    /// The dimensions of the tensor.
    public let shape: Shape
    let storage: TensorStorage

    /// Whether gradients flow to this tensor. Set it on leaves (parameters);
    /// results of operations on such tensors inherit it.
    public var requiresGradient: Bool

    /// The accumulated gradient of a leaf after ``backward(seed:)``; `nil` before.
    public internal(set) var gradient: Tensor?

    /// The operation that produced this tensor, while its graph is alive.
    var node: Node?
    /// Whether the tensor was produced by a recorded operation (not a leaf).
    var isIntermediate = false

    init(shape: Shape, storage: TensorStorage) {
        precondition(storage.count == shape.elementCount, "storage of \(storage.count) elements for shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.requiresGradient = false
    }

    /// Creates a tensor whose values are written by `body` into an uninitialised buffer.
    ///
    /// `body` must write every element.
    public convenience init(shape: Shape, initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        self.init(shape: shape, storage: TensorStorage(count: shape.elementCount))
        try body(storage.buffer)
    }

    /// Creates a tensor from values in row-major order.
    public convenience init(shape: Shape, scalars: [Float], requiresGradient: Bool = false) {
        precondition(scalars.count == shape.elementCount, "\(scalars.count) values for shape \(shape)")
        self.init(shape: shape) { buffer in _ = buffer.initialize(from: scalars) }
        self.requiresGradient = requiresGradient
    }

    /// Creates a tensor with every element equal to `value`.
    public convenience init(repeating value: Float, shape: Shape) {
        self.init(shape: shape) { $0.initialize(repeating: value) }
    }

    /// Creates a tensor of zeros.
    public convenience init(zeros shape: Shape) { self.init(repeating: 0, shape: shape) }

    /// Creates a rank-0 tensor holding one value.
    public convenience init(_ value: Float) { self.init(shape: [], scalars: [value]) }

    /// The number of elements.
    public var scalarCount: Int { storage.count }

    /// The values in row-major order.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The only value of a one-element tensor.
    public var scalar: Float {
        precondition(scalarCount == 1, "scalar of a tensor with shape \(shape)")
        return storage.pointer[0]
    }

    /// Calls `body` with the tensor's contiguous values.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Overwrites the values in place, outside the autograd graph.
    ///
    /// For optimisers and weight loading only: a tensor already used in a recorded
    /// computation must not be modified before that graph's backward pass.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage.prepareForWriting(), count: scalarCount))
    }

    /// Copies `source`'s values into this tensor in place (same element count).
    public func assign(_ source: Tensor) {
        precondition(source.scalarCount == scalarCount, "assigning \(source.shape) to \(shape)")
        storage.prepareForWriting().update(from: source.storage.pointer, count: scalarCount)
    }

    /// A tensor with the same values that is not part of any graph.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A new tensor with a copy of the values, not part of any graph.
    public func copied() -> Tensor {
        Tensor(shape: shape) { $0.baseAddress!.initialize(from: storage.pointer, count: scalarCount) }
    }

    /// Clears the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    /// Replaces the accumulated gradient (gradient clipping, tests).
    public func setGradient(_ newGradient: Tensor?) {
        if let newGradient { precondition(newGradient.shape == shape, "gradient \(newGradient.shape) for tensor \(shape)") }
        gradient = newGradient
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(preview)\(scalarCount > 8 ? ", ..." : "")])"
    }
}
