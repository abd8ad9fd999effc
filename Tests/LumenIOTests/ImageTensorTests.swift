import LumenIO
import LumenTensor
import Testing

@Suite struct ImageTensorTests {
    /// The golden fixtures were made with float64 `v / 255.0` then `.float()`.
    @Test func eightBitValuesMatchPyTorchsDivision() {
        let everyValue = Image(width: 256, height: 1, channels: 1, samples: (0...255).map { UInt16($0) })
        let scalars = everyValue.tensor().scalars
        for value in 0...255 {
            #expect(scalars[value].bitPattern == Float(Double(value) / 255).bitPattern, "value \(value)")
            #expect(scalars[value] == Float(value) / 255)
        }
    }

    @Test func layoutIsBatchChannelsHeightWidth() {
        // 2 x 1 pixels, RGB: (1, 2, 3) then (4, 5, 6).
        let image = Image(width: 2, height: 1, channels: 3, samples: [1, 2, 3, 4, 5, 6])
        let tensor = image.tensor()
        #expect(tensor.shape == [1, 3, 1, 2])
        #expect(tensor.scalars == [1, 4, 2, 5, 3, 6].map { Float($0) / 255 })
    }

    @Test(arguments: [1, 2, 3, 4])
    func eightBitRoundTripIsExact(channels: Int) {
        let image = patternedImage(width: 13, height: 6, channels: channels, bitDepth: 8)
        #expect(Image(tensor: image.tensor()) == image)
    }

    @Test func everySixteenBitValueRoundTrips() {
        let image = Image(width: 256, height: 256, channels: 1, bitDepth: 16, samples: (0...65_535).map { UInt16($0) })
        let tensor = image.tensor()
        #expect(tensor.scalars[65_535] == 1 && tensor.scalars[1] == Float(1) / 65_535)
        #expect(Image(tensor: tensor, bitDepth: 16) == image)
    }

    @Test func valuesAreClampedAndRounded() {
        // Ties (0.5 / 255, 1.5 / 255 scaled back) round to even, as NumPy's rint does.
        let values: [Float] = [-0.5, 0, 0.5 / 255, 1.5 / 255, 0.2, 1, 7, .nan, -.infinity, .infinity]
        let image = Image(tensor: Tensor(shape: [1, 1, 1, values.count], scalars: values))
        #expect(image.samples == [0, 0, 0, 2, 51, 255, 255, 0, 0, 255])
        let deep = Image(tensor: Tensor(shape: [1, 1, 2], scalars: [0.5, 1]), bitDepth: 16)
        #expect((deep.width, deep.height, deep.bitDepth, deep.samples) == (2, 1, 16, [32_768, 65_535]))
    }

    @Test func bitDepthConversionRoundTrips() {
        let image = patternedImage(width: 16, height: 16, channels: 3, bitDepth: 8)
        let deep = image.converted(toBitDepth: 16)
        #expect(deep.samples == image.samples.map { $0 * 257 })
        #expect(deep.converted(toBitDepth: 8) == image)
        // round(v / 257): 128 / 257 = 0.498, 129 / 257 = 0.502, 65406 / 257 = 254.498.
        #expect(Image(width: 4, height: 1, channels: 1, bitDepth: 16, samples: [128, 129, 65_406, 65_407])
            .converted(toBitDepth: 8).samples == [0, 1, 254, 255])
    }

    @Test func rgbReplicatesGrayAndDropsAlpha() {
        let gray = Image(width: 2, height: 1, channels: 1, samples: [7, 9])
        #expect(gray.rgb().samples == [7, 7, 7, 9, 9, 9])
        let grayAlpha = Image(width: 2, height: 1, channels: 2, samples: [7, 100, 9, 200])
        #expect(grayAlpha.rgb().samples == [7, 7, 7, 9, 9, 9])
        let rgba = Image(width: 1, height: 2, channels: 4, bitDepth: 16, samples: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(rgba.rgb() == Image(width: 1, height: 2, channels: 3, bitDepth: 16, samples: [1, 2, 3, 5, 6, 7]))
        let rgb = patternedImage(width: 3, height: 3, channels: 3, bitDepth: 8)
        #expect(rgb.rgb() == rgb)
    }
}
