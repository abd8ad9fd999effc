import Foundation
import LumenIO
import Testing

/// A JPEG APP1 segment holding a TIFF header and one IFD0 entry: Orientation (0x0112, SHORT).
func exifSegment(orientation: UInt16, littleEndian: Bool) -> [UInt8] {
    func integer(_ value: Int, bytes: Int) -> [UInt8] {
        let bigEndian = (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * (bytes - 1 - $0))) }
        return littleEndian ? bigEndian.reversed() : bigEndian
    }
    var tiff: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
    tiff += integer(42, bytes: 2) + integer(8, bytes: 4)                   // magic, offset of IFD0
    tiff += integer(1, bytes: 2)                                          // one entry
    tiff += integer(0x0112, bytes: 2) + integer(3, bytes: 2) + integer(1, bytes: 4)
    tiff += integer(Int(orientation), bytes: 2) + [0, 0]                  // value, padded to 4 bytes
    tiff += integer(0, bytes: 4)                                          // no next IFD
    let payload = Array("Exif\0\0".utf8) + tiff
    let length = payload.count + 2
    return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
}

/// `jpeg` with `segment` inserted right after its SOI marker.
func inserting(_ segment: [UInt8], into jpeg: Data) -> Data {
    var bytes = Array(jpeg)
    bytes.insert(contentsOf: segment, at: 2)
    return Data(bytes)
}

@Suite struct ImageOrientationTests {
    /// Eight distinct gray levels, one per cell of a 4 x 2 grid (row-major).
    static let levels: [UInt16] = [10, 40, 70, 100, 130, 160, 190, 220]
    static let cell = 8

    /// The grid as a 32 x 16 gray image: each cell is one whole 8 x 8 JPEG block, so
    /// quality 100 reproduces it within a level or two.
    static func gridJPEG() throws -> Data {
        let (width, height) = (4 * cell, 2 * cell)
        let samples = (0..<width * height).map { index in levels[(index / width / cell) * 4 + index % width / cell] }
        return try Image(width: width, height: height, channels: 1, samples: samples).encoded(as: .jpeg, quality: 100)
    }

    /// Reads back the grid from cell centres as indices into `levels`.
    static func grid(of image: Image) -> [[Int]] {
        (0..<image.height / cell).map { row in
            (0..<image.width / cell).map { column in
                let value = Int(image[column * cell + cell / 2, row * cell + cell / 2, 0])
                return levels.indices.min { abs(Int(levels[$0]) - value) < abs(Int(levels[$1]) - value) }!
            }
        }
    }

    /// The displayed grid for each EXIF orientation, written out by hand from the
    /// EXIF 2.32 definitions (where stored row 0 and column 0 end up).
    static let expected: [UInt16: [[Int]]] = [
        1: [[0, 1, 2, 3], [4, 5, 6, 7]],
        2: [[3, 2, 1, 0], [7, 6, 5, 4]],
        3: [[7, 6, 5, 4], [3, 2, 1, 0]],
        4: [[4, 5, 6, 7], [0, 1, 2, 3]],
        5: [[0, 4], [1, 5], [2, 6], [3, 7]],
        6: [[4, 0], [5, 1], [6, 2], [7, 3]],
        7: [[7, 3], [6, 2], [5, 1], [4, 0]],
        8: [[3, 7], [2, 6], [1, 5], [0, 4]],
    ]

    @Test(arguments: 1...8 as ClosedRange<UInt16>, [true, false])
    func orientationIsApplied(orientation: UInt16, littleEndian: Bool) throws {
        let jpeg = inserting(exifSegment(orientation: orientation, littleEndian: littleEndian), into: try Self.gridJPEG())
        let image = try Image.decode(jpeg, name: "oriented-\(orientation).jpg")
        let swapped = orientation >= 5
        #expect((image.width, image.height) == (swapped ? (16, 32) : (32, 16)))
        #expect(Self.grid(of: image) == Self.expected[orientation])
        let storedValues = Set(try Image.decode(Self.gridJPEG(), name: "plain.jpg").samples)
        #expect(Set(image.samples) == storedValues, "orienting moves pixels, it never changes them")
    }

    @Test(arguments: [0, 9, 0xFFFF] as [UInt16])
    func invalidOrientationIsIgnored(orientation: UInt16) throws {
        let jpeg = inserting(exifSegment(orientation: orientation, littleEndian: true), into: try Self.gridJPEG())
        let image = try Image.decode(jpeg, name: "odd.jpg")
        #expect(Self.grid(of: image) == Self.expected[1])
    }

    /// A broken EXIF block must not make a photo unreadable.
    @Test(arguments: 0..<40)
    func truncatedEXIFIsIgnored(keptBytes: Int) throws {
        let full = exifSegment(orientation: 6, littleEndian: false)
        let payload = Array(full[4..<min(full.count, 4 + keptBytes)])
        let length = payload.count + 2
        let segment = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        let image = try Image.decode(inserting(segment, into: try Self.gridJPEG()), name: "cut-exif.jpg")
        // "Exif\0\0", the 8-byte TIFF header, the entry count and the entry up to its value.
        let entryComplete = keptBytes >= 6 + 8 + 2 + 10
        #expect(Self.grid(of: image) == Self.expected[entryComplete ? 6 : 1])
    }

    /// XMP also lives in APP1; only the segment that starts with `Exif\0\0` counts.
    @Test func nonEXIFAPP1IsSkipped() throws {
        let xmpPayload = Array("http://ns.adobe.com/xap/1.0/\0<x/>".utf8)
        let xmp = [0xFF, 0xE1, 0, UInt8(xmpPayload.count + 2)] + xmpPayload
        let jpeg = inserting(xmp + exifSegment(orientation: 3, littleEndian: true), into: try Self.gridJPEG())
        #expect(Self.grid(of: try Image.decode(jpeg, name: "xmp.jpg")) == Self.expected[3])
    }
}
