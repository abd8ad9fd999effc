import LumenIO
import Testing

/// Colour and alpha split apart and join back unchanged.
@Suite struct ImageAlphaTests {
    @Test(arguments: [2, 4], [8, 16])
    func splitAndJoinRoundTrip(channels: Int, bitDepth: Int) {
        let image = gradientImage(width: 5, height: 3, channels: channels).converted(toBitDepth: bitDepth)
        let color = image.colorChannels, alpha = image.alphaChannel
        #expect(color.channels == channels - 1 && alpha?.channels == 1)
        #expect(alpha.map { color.addingAlpha($0) } == image)
    }

    @Test func imagesWithoutAlpha() {
        let rgb = gradientImage(width: 5, height: 3, channels: 3)
        #expect(rgb.colorChannels == rgb && rgb.alphaChannel == nil && rgb.isOpaque)
    }

    @Test func alphaIsRescaledToTheColourDepth() {
        let color = gradientImage(width: 2, height: 1, channels: 3).converted(toBitDepth: 16)
        let alpha = Image(width: 2, height: 1, channels: 1, samples: [255, 0])
        let joined = color.addingAlpha(alpha)
        #expect(joined.bitDepth == 16 && joined.alphaChannel?.samples == [65535, 0])
    }

    @Test func opacity() {
        #expect(Image(width: 2, height: 1, channels: 2, samples: [9, 255, 7, 255]).isOpaque)
        #expect(!Image(width: 2, height: 1, channels: 2, samples: [9, 255, 7, 254]).isOpaque)
    }
}
