import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// `Image.resizedLikeMATLAB` against the restoration fixtures, which were made with
/// MATLAB's `imresize` rule in float64 (`shared/fixtures/restoration/README.md`).
@Suite(.tags(.golden)) struct MATLABResizeTests {
    static let hr = Fixtures.data("restoration/sr-test/Set5/baby.png")
    static func bicubic(_ name: String) -> URL { Fixtures.shared("fixtures/restoration/bicubic/" + name) }

    /// `baby.png` cropped from the top left to a multiple of `scale`.
    private func modCropped(_ image: Image, _ scale: Int) -> Image {
        let (width, height) = (image.width / scale * scale, image.height / scale * scale)
        var samples: [UInt16] = []
        for row in 0..<height {
            let start = row * image.width * image.channels
            samples += image.samples[start ..< start + width * image.channels]
        }
        return Image(width: width, height: height, channels: image.channels, samples: samples)
    }

    @Test(.fixtures(hr, bicubic("baby_x2_lr_f64.npy")), arguments: [2, 3, 4])
    func shrinkingMatchesTheFloat64ReferenceAndItsRounding(scale: Int) throws {
        let hr = modCropped(try Image(contentsOf: Fixtures.require(Self.hr)), scale)
        let (width, height) = (hr.width / scale, hr.height / scale)
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(Self.bicubic("baby_x\(scale)_lr_f64.npy")))
        #expect(reference.shape == [height, width, 3])
        let values = hr.resizedSamplesLikeMATLAB(width: width, height: height)
        let error = zip(values, reference.doubles).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error < 1e-9, "largest difference \(error)")
        let rounded = try Image(contentsOf: Fixtures.require(Self.bicubic("baby_x\(scale)_lr.png")))
        #expect(hr.resizedLikeMATLAB(width: width, height: height) == rounded)
    }

    @Test(.fixtures(bicubic("up_input_24x32.png")), arguments: [2, 3, 4])
    func enlargingMatchesTheFloat64Reference(scale: Int) throws {
        let input = try Image(contentsOf: Fixtures.require(Self.bicubic("up_input_24x32.png")))
        let reference = try NumPyArray.load(contentsOf: Fixtures.require(Self.bicubic("up_input_24x32_x\(scale)_f64.npy")))
        #expect(reference.shape == [24 * scale, 32 * scale, 3])
        let values = input.resizedSamplesLikeMATLAB(width: 32 * scale, height: 24 * scale)
        let error = zip(values, reference.doubles).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error < 1e-9, "largest difference \(error)")
    }

    /// The bicubic super-resolution baseline: the same image and the protocol's Y-PSNR
    /// with an s-pixel shave (×2 37.0922, ×3 33.9267, ×4 31.7867 dB).
    @Test(.fixtures(hr, bicubic("bicubic_psnr_set5_baby.json")), arguments: [(2, 37.0922), (3, 33.9267), (4, 31.7867)])
    func bicubicBaselineReproducesTheProtocolPSNR(scale: Int, decibels: Double) throws {
        let hr = modCropped(try Image(contentsOf: Fixtures.require(Self.hr)), scale)
        let low = try Image(contentsOf: Fixtures.require(Self.bicubic("baby_x\(scale)_lr.png")))
        let sr = low.resizedLikeMATLAB(width: hr.width, height: hr.height)
        #expect(sr == (try Image(contentsOf: Fixtures.require(Self.bicubic("baby_x\(scale)_bicubic_sr.png")))))
        func shaved(_ image: Image) -> Tensor {
            image.tensor().sliced(axis: 2, range: scale ..< image.height - scale).sliced(axis: 3, range: scale ..< image.width - scale)
        }
        let measured = psnrY(shaved(sr), shaved(hr))
        #expect(abs(measured - decibels) < 1e-4, "\(measured) dB")
    }
}
