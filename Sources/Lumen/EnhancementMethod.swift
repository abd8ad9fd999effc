import Foundation
import LumenImaging

/// A way to enhance a photo, by the name a user types: a learned model with
/// Lumen's bundled weights or with a weights file, or a classical method.
///
/// The syntax is `NAME` or `MODEL:WEIGHTS`, e.g. `zero-dce-pp`, `clahe`,
/// `zero-dce:checkpoints/Epoch99.pth`.
///
/// ```swift
/// let method = try EnhancementMethod(parsing: "sci:weights/medium.pt")
/// let enhancer = try method.makeEnhancer()
/// ```
public enum EnhancementMethod: Hashable, Sendable, CustomStringConvertible {
    /// A learned model; `weights` is a safetensors or PyTorch file, `nil` for the bundled weights.
    case model(ModelKind, weights: String?)
    /// A classical method with its default parameters.
    case classical(ClassicalMethod)

    /// Parses `NAME` or `MODEL:WEIGHTS`.
    /// - Throws: ``EnhancementMethodError`` for an unknown name or weights given to a classical method.
    public init(parsing text: String) throws(EnhancementMethodError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        let weights = parts.count == 2 ? parts[1] : nil
        if let kind = ModelKind(rawValue: name) {
            if let weights, weights.isEmpty { throw .emptyWeights(text) }
            self = .model(kind, weights: weights)
        } else if let method = ClassicalMethod(rawValue: name) {
            guard weights == nil else { throw .weightsForClassical(text) }
            self = .classical(method)
        } else {
            throw .unknown(name)
        }
    }

    /// Every valid name: the models, then the classical methods.
    public static var allNames: [String] {
        ModelKind.allCases.map(\.rawValue) + ClassicalMethod.allCases.map(\.rawValue)
    }

    /// The text it was parsed from, e.g. `zero-dce:Epoch99.pth`.
    public var description: String {
        switch self {
        case let .model(kind, weights): weights.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue
        case let .classical(method): method.rawValue
        }
    }

    /// Loads the model or wraps the classical method.
    /// - Parameter scale: Zero-DCE++'s downsampling factor.
    /// - Throws: `ModelLoadingError` naming the weights file, or saying that the
    ///   model has no bundled weights.
    public func makeEnhancer(scale: Int = 12) throws(ModelLoadingError) -> any TensorEnhancer {
        switch self {
        case let .model(kind, weights?): try kind.load(weights: URL(fileURLWithPath: weights), scale: scale)
        case let .model(kind, nil): try kind.pretrained(scale: scale)
        case let .classical(method): ClassicalEnhancer(method)
        }
    }
}

/// Why a method name could not be parsed.
public enum EnhancementMethodError: Error, LocalizedError, Equatable {
    /// No model or classical method has this name.
    case unknown(String)
    /// `MODEL:` with nothing after the colon.
    case emptyWeights(String)
    /// `NAME:WEIGHTS` where NAME is a classical method.
    case weightsForClassical(String)

    public var errorDescription: String? {
        switch self {
        case let .unknown(name):
            "unknown method '\(name)'; the methods are \(EnhancementMethod.allNames.joined(separator: ", "))"
        case let .emptyWeights(text):
            "'\(text)': give a weights file after the colon, or leave out the colon for the bundled weights"
        case let .weightsForClassical(text):
            "'\(text)': classical methods take no weights"
        }
    }
}
