import LumenTensor

extension Plane where Scalar == Float {
    /// The horizontal pass of a separable filter: each row, padded with `radius`
    /// samples on each side under OpenCV's `BORDER_REFLECT_101`, is handed to
    /// `filter` with the row of the result to fill (`width` values). Rows are split
    /// over threads; each task has its own padded scratch row.
    func filteringRows(radius: Int,
                       _ filter: (_ padded: UnsafeMutableBufferPointer<Float>, _ output: UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        let columns = (-radius ..< width + radius).map { reflected101($0, count: width) }
        var result = [Float](repeating: 0, count: width * height)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { result in
                let (source, result) = (source.baseAddress!, result.baseAddress!)
                parallelFor(height, grain: 16) { range in
                    var padded = [Float](repeating: 0, count: width + 2 * radius)
                    padded.withUnsafeMutableBufferPointer { padded in
                        for y in range {
                            let line = source + y * width
                            for index in padded.indices { padded[index] = line[columns[index]] }
                            filter(padded, result + y * width)
                        }
                    }
                }
            }
        }
        return result
    }
}
