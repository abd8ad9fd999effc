import Foundation
import LumenIO
import LumenTestSupport
import Testing

/// Mean absolute difference between two images' samples, in 8-bit steps.
func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
    precondition(a.samples.count == b.samples.count, "images of different sizes")
    let total = zip(a.samples, b.samples).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
    return Double(total) / Double(a.samples.count)
}

/// A smooth 8-bit gradient, the kind of content JPEG is made for.
func gradientImage(width: Int, height: Int, channels: Int) -> Image {
    var samples: [UInt16] = []
    for y in 0..<height {
        for x in 0..<width {
            for channel in 0..<channels { samples.append(UInt16(x * 150 / width + y * 60 / height + channel * 20)) }
        }
    }
    return Image(width: width, height: height, channels: channels, samples: samples)
}

@Suite struct ImageJPEGTests {
    /// 16 x 16, four 8 x 8 quadrants red, green, blue, white; written by Pillow with
    /// `progressive=True, quality=90` (our encoder writes baseline only).
    static let progressive = Data(base64Encoded: """
        /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIU\
        FRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAQABADASIAAhEB\
        AxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwgJ/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAH/2gAMAwEAAhADEAAAATljl7S1P//EABQQAQAAAAAAAAAAAAAA\
        AAAAACD/2gAIAQEAAQUCH//EAB0RAAECBwAAAAAAAAAAAAAAABIREwAEBhYhYnL/2gAIAQMBAT8BrCZvRjDTRbKQ8ogx/8QAHREAAQIHAAAAAAAAAAAA\
        AAAAEgYRABMVJDFCYv/aAAgBAgEBPwFTIanSbkiLVsN1H//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEABj8CH//EABQQAQAAAAAAAAAAAAAAAAAA\
        ACD/2gAIAQEAAT8hH//aAAwDAQACAAMAAAAQ1//EABkRAAEFAAAAAAAAAAAAAAAAABEhQZGhsf/aAAgBAwEBPxDf+ukCWC//xAAXEQEAAwAAAAAAAAAA\
        AAAAAAARAIHR/9oACAECAQE/EMYK2rP/xAAUEAEAAAAAAAAAAAAAAAAAAAAg/9oACAEBAAE/EB//2Q==
        """)!

    /// 8 x 8 CMYK (Adobe APP14), written by Pillow.
    static let cmyk = Data(base64Encoded: """
        /9j/7gAOQWRvYmUAZAAAAAAA/9sAQwAQCwwODAoQDg0OEhEQExgoGhgWFhgxIyUdKDozPTw5Mzg3QEhcTkBEV0U3OFBtUVdfYmdoZz5NcXlwZHhcZWdj\
        /8AAFAgACAAIBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFB\
        BhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqS\
        k5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD0Ckrz+vQK\
        /9k=
        """)!

    @Test(.fixtures(Fixtures.data("test/dicm/01.jpg")))
    func realPhotoDecodesAndSurvivesQuality95() throws {
        let image = try Image(contentsOf: try Fixtures.require(Fixtures.data("test/dicm/01.jpg")))
        #expect((image.width, image.height, image.channels, image.bitDepth) == (480, 640, 3, 8))
        let again = try Image.decode(image.encoded(as: .jpeg, quality: 95), name: "01.jpg")
        #expect((again.width, again.height, again.channels) == (480, 640, 3))
        #expect(meanAbsoluteDifference(image, again) < 1.5)
    }

    @Test(arguments: [1, 3])
    func syntheticImageSurvivesQuality95(channels: Int) throws {
        let image = gradientImage(width: 40, height: 24, channels: channels)
        let decoded = try Image.decode(image.encoded(as: .jpeg, quality: 95), name: "gradient.jpg")
        #expect((decoded.width, decoded.height, decoded.channels, decoded.bitDepth) == (40, 24, channels, 8))
        #expect(meanAbsoluteDifference(image, decoded) < 2)
    }

    @Test func lowerQualityGivesSmallerFiles() throws {
        let image = gradientImage(width: 64, height: 64, channels: 3)
        #expect(try image.encoded(as: .jpeg, quality: 30).count < image.encoded(as: .jpeg, quality: 95).count)
    }

    @Test func progressiveJPEGDecodes() throws {
        let image = try Image.decode(Self.progressive, name: "progressive.jpg")
        #expect((image.width, image.height, image.channels) == (16, 16, 3))
        let corners: [(x: Int, y: Int, rgb: [Int])] = [(2, 2, [255, 0, 0]), (13, 2, [0, 255, 0]),
                                                       (2, 13, [0, 0, 255]), (13, 13, [255, 255, 255])]
        for corner in corners {
            let actual = (0..<3).map { Int(image[corner.x, corner.y, $0]) }
            #expect(zip(actual, corner.rgb).allSatisfy { abs($0 - $1) <= 10 }, "pixel \(corner): \(actual)")
        }
    }

    @Test func sixteenBitImageIsWrittenAsEightBit() throws {
        let image = gradientImage(width: 16, height: 16, channels: 3)
        let decoded = try Image.decode(image.converted(toBitDepth: 16).encoded(as: .jpeg), name: "deep.jpg")
        #expect(decoded.bitDepth == 8)
        #expect(meanAbsoluteDifference(image, decoded) < 2)
    }

    /// Pixel values are checked against Pillow in `ImageFormatFixtureTests`; this one is inline.
    @Test func cmykDecodesToRGB() throws {
        let image = try Image.decode(Self.cmyk, name: "print.jpg")
        #expect((image.width, image.height, image.channels, image.bitDepth) == (8, 8, 3, 8))
    }

    @Test func alphaCannotBeWrittenAsJPEG() {
        let image = gradientImage(width: 4, height: 4, channels: 4)
        #expect(throws: ImageEncodingError.unsupportedChannelCount(4, format: .jpeg)) {
            try image.encoded(as: .jpeg)
        }
        #expect(throws: Never.self) { try image.rgb().encoded(as: .jpeg) }
    }

    @Test func badEncoderArgumentsAreTypedErrors() {
        let image = gradientImage(width: 4, height: 4, channels: 3)
        #expect(throws: ImageEncodingError.qualityOutOfRange(0, format: .jpeg)) { try image.encoded(as: .jpeg, quality: 0) }
        #expect(throws: ImageEncodingError.qualityOutOfRange(101, format: .jpeg)) { try image.encoded(as: .jpeg, quality: 101) }
        #expect(throws: ImageEncodingError.unsupportedBitDepth(16, format: .jpeg)) {
            try image.encoded(as: .jpeg, bitDepth: 16)
        }
        #expect(throws: ImageEncodingError.unsupportedBitDepth(12, format: .png)) {
            try image.encoded(as: .png, bitDepth: 12)
        }
        #expect(ImageEncodingError.unsupportedChannelCount(4, format: .jpeg).localizedDescription
            == "JPEG cannot store 4 channels; drop the alpha channel with colorChannels first")
    }
}
