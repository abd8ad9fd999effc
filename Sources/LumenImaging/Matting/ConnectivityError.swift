/// The scale of ``connectivityErrorSum(_:_:mask:)``: `255 · 10`, since thresholds
/// are tenths and levels 255ths.
let connectivityScale = 2550

/// Σ over the region of `|φ(prediction) − φ(groundTruth)| · 2550`, exactly, as an
/// integer: Deep Image Matting's `compute_connectivity_error.m` with step 0.1 and
/// θ = 0.15 (and no distance weighting: the MATLAB code computes `dist_maps` but
/// never uses it).
///
/// At each threshold t = m/10 the pixels where both alphas reach t (`10k ≥ 255m`,
/// exact, so k = 153 counts at 0.6 as MATLAB's single precision does) are split into
/// 4-connected components; Ω is the largest, ties going to the one whose first pixel
/// comes first in column-major order, as MATLAB's `bwconncomp` and `max` pick; with
/// no such pixel Ω is empty. Pixels not yet assigned that fall outside Ω get
/// l = (m − 1)/10; those never assigned get 1. Then d = α − l and
/// φ = 1 − d·[d ≥ 0.15], so `2550·φ = 2550 − w` with `w = 10k − 255L` when that is at
/// least 383 (0.15 · 2550 = 382.5), else 0.
func connectivityErrorSum(_ prediction: Matte, _ groundTruth: Matte, mask: [Bool]) -> Int {
    let (width, height) = (groundTruth.width, groundTruth.height)
    let count = width * height
    let unassigned = -1
    var level = [Int](repeating: unassigned, count: count)   // l · 10, or unassigned
    var component = [Int32](repeating: 0, count: count)
    var stack = [Int]()
    for m in 1...10 {
        let bound = 255 * m
        func inside(_ index: Int) -> Bool {
            10 * Int(prediction.levels[index]) >= bound && 10 * Int(groundTruth.levels[index]) >= bound
        }
        // Label components in column-major order of their first pixel.
        for index in 0..<count { component[index] = 0 }
        var label: Int32 = 0, largest: Int32 = 0, largestSize = 0
        for x in 0..<width {
            for y in 0..<height {
                let start = y * width + x
                guard component[start] == 0, inside(start) else { continue }
                label += 1
                var size = 0
                component[start] = label
                stack.append(start)
                while let pixel = stack.popLast() {
                    size += 1
                    let (px, py) = (pixel % width, pixel / width)
                    func visit(_ neighbour: Int) {
                        guard component[neighbour] == 0, inside(neighbour) else { return }
                        component[neighbour] = label
                        stack.append(neighbour)
                    }
                    if px > 0 { visit(pixel - 1) }
                    if px + 1 < width { visit(pixel + 1) }
                    if py > 0 { visit(pixel - width) }
                    if py + 1 < height { visit(pixel + width) }
                }
                if size > largestSize { (largest, largestSize) = (label, size) }
            }
        }
        for index in 0..<count where level[index] == unassigned && (largest == 0 || component[index] != largest) {
            level[index] = m - 1
        }
    }
    var sum = 0
    for index in 0..<count where mask[index] {
        let l = level[index] == unassigned ? 10 : level[index]
        func weight(_ k: UInt8) -> Int {
            let d = 10 * Int(k) - 255 * l
            return d >= 383 ? d : 0
        }
        sum += abs(weight(groundTruth.levels[index]) - weight(prediction.levels[index]))
    }
    return sum
}
