/// How `padded(_:mode:)` fills the border.
public enum PaddingMode: String, Sendable, CaseIterable {
    /// Zeros.
    case zero
    /// Mirror without repeating the edge (`dcb|abcd|cba`), PyTorch's `reflect`.
    case reflect
    /// Repeat the edge value (`aaa|abcd|ddd`).
    case replicate
}

/// Border widths of a spatial padding, in pixels.
public struct Padding: Hashable, Sendable {
    public var top, bottom, left, right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        precondition(min(top, bottom, left, right) >= 0, "negative padding")
        (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
    }

    /// The same width on every side.
    public init(_ all: Int) { self.init(top: all, bottom: all, left: all, right: all) }
}

extension Tensor {
    /// Pads the last two axes (`H`, `W` of `[..., H, W]`).
    ///
    /// Reflect padding needs each width smaller than the padded dimension.
    public func padded(_ padding: Padding, mode: PaddingMode = .zero) -> Tensor {
        precondition(shape.rank >= 2, "padding needs rank >= 2, got \(shape)")
        let height = shape[-2], width = shape[-1]
        if mode == .reflect {
            precondition(max(padding.top, padding.bottom) < height && max(padding.left, padding.right) < width,
                         "reflect padding \(padding) too wide for \(height)x\(width)")
        }
        if mode == .replicate { precondition(height > 0 && width > 0, "replicate padding of an empty plane") }
        let input = self
        let outHeight = height + padding.top + padding.bottom, outWidth = width + padding.left + padding.right
        var dims = shape.dimensions
        dims[dims.count - 2] = outHeight
        dims[dims.count - 1] = outWidth
        let planes = shape.elementCount / max(height * width, 1)
        // Source index of each output row / column, -1 for zero fill.
        let rows = (0..<outHeight).map { PaddingIndex.source($0 - padding.top, size: height, mode: mode) }
        let columns = (0..<outWidth).map { PaddingIndex.source($0 - padding.left, size: width, mode: mode) }
        let output = Tensor(shape: Shape(dims)) { out in
            let source = input.storage.pointer, destination = out.baseAddress!
            parallelFor(planes) { range in
                for plane in range {
                    let src = source + plane * height * width, dst = destination + plane * outHeight * outWidth
                    for y in 0..<outHeight {
                        let row = dst + y * outWidth
                        guard rows[y] >= 0 else { row.update(repeating: 0, count: outWidth); continue }
                        let srcRow = src + rows[y] * width
                        for x in 0..<outWidth { row[x] = columns[x] >= 0 ? srcRow[columns[x]] : 0 }
                    }
                }
            }
        }
        return output.recorded(.pad, inputs: [input]) { g in
            [Tensor(shape: input.shape) { gradient in
                gradient.initialize(repeating: 0)
                let source = g.storage.pointer, destination = gradient.baseAddress!
                parallelFor(planes) { range in
                    for plane in range {
                        let src = source + plane * outHeight * outWidth, dst = destination + plane * height * width
                        for y in 0..<outHeight where rows[y] >= 0 {
                            for x in 0..<outWidth where columns[x] >= 0 {
                                dst[rows[y] * width + columns[x]] += src[y * outWidth + x]
                            }
                        }
                    }
                }
            }]
        }
    }
}

enum PaddingIndex {
    /// The source index that padded position `i` reads, or -1 for a zero.
    static func source(_ i: Int, size: Int, mode: PaddingMode) -> Int {
        if i >= 0 && i < size { return i }
        switch mode {
        case .zero: return -1
        case .replicate: return i < 0 ? 0 : size - 1
        case .reflect: return i < 0 ? -i : 2 * (size - 1) - i
        }
    }
}
