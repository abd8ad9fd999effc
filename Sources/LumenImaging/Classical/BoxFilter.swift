import LumenTensor

/// The mean over a `(2r + 1) × (2r + 1)` window with `BORDER_REFLECT_101` borders
/// (OpenCV's `boxFilter` default), as two running-sum passes accumulated in double
/// precision: the cost per pixel does not depend on the radius.
struct BoxFilter {
    let radius: Int

    init(radius: Int) {
        precondition(radius >= 0, "box radius \(radius); expected at least 0")
        self.radius = radius
    }

    func callAsFunction(_ plane: Plane<Float>) -> Plane<Float> {
        guard radius > 0 else { return plane }
        let (width, height) = (plane.width, plane.height)
        let span = 2 * radius + 1
        let scale = 1 / Double(span)
        let rows = (-radius ..< height + radius).map { reflected101($0, count: height) }
        let across = plane.filteringRows(radius: radius) { padded, out in
            var sum = padded[0 ..< span].reduce(0.0) { $0 + Double($1) }
            out[0] = Float(sum * scale)
            for x in 1 ..< width {
                sum += Double(padded[x + span - 1]) - Double(padded[x - 1])
                out[x] = Float(sum * scale)
            }
        }
        var output = [Float](repeating: 0, count: width * height)
        across.withUnsafeBufferPointer { across in
            output.withUnsafeMutableBufferPointer { output in
                let (across, output) = (across.baseAddress!, output.baseAddress!)
                parallelFor(width, grain: 256) { range in
                    let (start, count) = (range.lowerBound, range.count)
                    var sums = [Double](repeating: 0, count: count)
                    sums.withUnsafeMutableBufferPointer { sums in
                        for row in rows[0 ..< span] {
                            let line = across + row * width + start
                            for x in 0..<count { sums[x] += Double(line[x]) }
                        }
                        for y in 0..<height {
                            if y > 0 {
                                let entering = across + rows[y + span - 1] * width + start
                                let leaving = across + rows[y - 1] * width + start
                                for x in 0..<count { sums[x] += Double(entering[x]) - Double(leaving[x]) }
                            }
                            let out = output + y * width + start
                            for x in 0..<count { out[x] = Float(sums[x] * scale) }
                        }
                    }
                }
            }
        }
        return Plane(width: width, height: height, values: output)
    }
}
