/// The EXIF orientation tag (0x0112): how the stored pixels must be transformed
/// for display. Cameras store the sensor's rows and record the rotation here.
enum EXIFOrientation: UInt16, CaseIterable {
    /// 1: stored as displayed.
    case up = 1
    /// 2: mirrored left to right.
    case upMirrored
    /// 3: rotated 180°.
    case down
    /// 4: mirrored top to bottom.
    case downMirrored
    /// 5: transposed (mirrored across the top-left to bottom-right diagonal).
    case leftMirrored
    /// 6: displayed after a 90° clockwise rotation.
    case right
    /// 7: transversed (mirrored across the top-right to bottom-left diagonal).
    case rightMirrored
    /// 8: displayed after a 90° counter-clockwise rotation.
    case left

    /// Reads the orientation from a JPEG APP1 payload (`Exif\0\0` then a TIFF header).
    ///
    /// Returns `nil` when the payload is malformed or has no valid orientation
    /// entry in IFD0; a broken EXIF block must not make a photo unreadable.
    init?(exif: [UInt8]) {
        let tiff = 6
        guard exif.count >= tiff + 8, exif.starts(with: Array("Exif\0\0".utf8)) else { return nil }
        let littleEndian: Bool
        switch (exif[tiff], exif[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true   // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func integer(at offset: Int, size: Int) -> Int? {
            let start = tiff + offset
            guard offset >= 0, start + size <= exif.count else { return nil }
            let bytes = exif[start..<start + size]
            return (littleEndian ? bytes.reversed() : Array(bytes)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard integer(at: 2, size: 2) == 42, let directory = integer(at: 4, size: 4),
              let entryCount = integer(at: directory, size: 2) else { return nil }
        for entry in 0..<entryCount {
            let offset = directory + 2 + 12 * entry
            guard let tag = integer(at: offset, size: 2) else { return nil }
            // Orientation is a SHORT (type 3), count 1, stored in the first two bytes of the value field.
            guard tag == 0x0112 else { continue }
            guard integer(at: offset + 2, size: 2) == 3, let value = integer(at: offset + 8, size: 2) else { return nil }
            self.init(rawValue: UInt16(truncatingIfNeeded: value))
            return
        }
        return nil
    }

    /// Whether displaying swaps width and height (orientations 5 to 8).
    var swapsDimensions: Bool { rawValue >= 5 }

    /// The stored pixel shown at display position (`x`, `y`) of an image stored
    /// `width` x `height`.
    func storedPosition(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: (x, y)
        case .upMirrored: (width - 1 - x, y)
        case .down: (width - 1 - x, height - 1 - y)
        case .downMirrored: (x, height - 1 - y)
        case .leftMirrored: (y, x)
        case .right: (y, height - 1 - x)
        case .rightMirrored: (width - 1 - y, height - 1 - x)
        case .left: (width - 1 - y, x)
        }
    }
}
