import Foundation
import LumenImaging
import LumenIO
import LumenTensor
import LumenTestSupport
import Testing

/// An enhanced fixture and the input it was made from, with the values that
/// `scripts/reference-metrics.py` prints for the pair: PSNR and SSIM from
/// scikit-image 0.26, the others from the script's NumPy transcriptions.
struct PairReference: CustomTestStringConvertible, Sendable {
    let set: String, method: String
    let psnr, psnrY, ssim, ssimY, msSSIM, loe: Double
    var testDescription: String { "\(set) \(method)" }
}

/// One fixture image and its no-reference scores from `scripts/reference-metrics.py`
/// (BRISQUE from the `brisque` package's own `BRISQUE().score`).
struct ImageReference: CustomTestStringConvertible, Sendable {
    let name: String
    let uiqm, uciqe, entropy, colorfulness, brisque: Double
    var testDescription: String { name }
}

/// The metrics on the lossless PNG fixtures in `shared/fixtures/reference/` (each input
/// against its four classical enhancements), against the Python peers.
@Suite(.tags(.golden), .fixtures(Fixtures.reference("dicm_01_input.png")))
struct MetricReferenceTests {
    static let pairs: [PairReference] = [
        PairReference(set: "dicm_01", method: "classic_gamma_LUT_2.2", psnr: 16.419241, psnrY: 17.409469, ssim: 0.307511, ssimY: 0.694847,
                      msSSIM: 0.840883, loe: 350.765970),
        PairReference(set: "dicm_01", method: "classic_CLAHE_L_clip2_8x8", psnr: 22.948714, psnrY: 24.442575, ssim: 0.497360, ssimY: 0.911084,
                      msSSIM: 0.923989, loe: 248.292836),
        PairReference(set: "dicm_01", method: "classic_equalizeHist_Y", psnr: 6.008151, psnrY: 7.329288, ssim: 0.082442, ssimY: 0.198436,
                      msSSIM: 0.541928, loe: 452.309851),
        PairReference(set: "dicm_01", method: "classic_grayworld", psnr: 20.496238, psnrY: 32.746653, ssim: 0.818747, ssimY: 0.992628,
                      msSSIM: 0.882540, loe: 342.144776),
        PairReference(set: "dicm_05", method: "classic_gamma_LUT_2.2", psnr: 14.034295, psnrY: 15.756574, ssim: 0.723711, ssimY: 0.825975,
                      msSSIM: 0.891745, loe: 33.968358),
        PairReference(set: "dicm_05", method: "classic_CLAHE_L_clip2_8x8", psnr: 22.012530, psnrY: 23.353840, ssim: 0.814838, ssimY: 0.892836,
                      msSSIM: 0.874417, loe: 215.568955),
        PairReference(set: "dicm_05", method: "classic_equalizeHist_Y", psnr: 22.288641, psnrY: 23.619686, ssim: 0.808810, ssimY: 0.886619,
                      msSSIM: 0.924635, loe: 88.910746),
        PairReference(set: "dicm_05", method: "classic_grayworld", psnr: 20.687823, psnrY: 34.197083, ssim: 0.974256, ssimY: 0.998237,
                      msSSIM: 0.986329, loe: 147.877313),
        PairReference(set: "lime_01", method: "classic_gamma_LUT_2.2", psnr: 13.658152, psnrY: 14.837753, ssim: 0.448235, ssimY: 0.723410,
                      msSSIM: 0.854800, loe: 24.755849),
        PairReference(set: "lime_01", method: "classic_CLAHE_L_clip2_8x8", psnr: 19.830101, psnrY: 21.271239, ssim: 0.719508, ssimY: 0.892203,
                      msSSIM: 0.862092, loe: 97.566415),
        PairReference(set: "lime_01", method: "classic_equalizeHist_Y", psnr: 7.873453, psnrY: 9.199169, ssim: 0.286156, ssimY: 0.485136,
                      msSSIM: 0.583290, loe: 87.361132),
        PairReference(set: "lime_01", method: "classic_grayworld", psnr: 20.378958, psnrY: 33.450506, ssim: 0.841602, ssimY: 0.993656,
                      msSSIM: 0.915625, loe: 400.424528),
        PairReference(set: "sci_medium_00001", method: "classic_gamma_LUT_2.2", psnr: 13.350790, psnrY: 14.586075, ssim: 0.406053, ssimY: 0.654176,
                      msSSIM: 0.751228, loe: 50.884267),
        PairReference(set: "sci_medium_00001", method: "classic_CLAHE_L_clip2_8x8", psnr: 22.424004, psnrY: 23.818595, ssim: 0.718618, ssimY: 0.894346,
                      msSSIM: 0.872965, loe: 165.177867),
        PairReference(set: "sci_medium_00001", method: "classic_equalizeHist_Y", psnr: 6.680245, psnrY: 7.978039, ssim: 0.191969, ssimY: 0.304874,
                      msSSIM: 0.381497, loe: 179.703200),
        PairReference(set: "sci_medium_00001", method: "classic_grayworld", psnr: 36.045593, psnrY: 56.795547, ssim: 0.984999, ssimY: 0.999640,
                      msSSIM: 0.995594, loe: 100.120000),
    ]

    static let images: [ImageReference] = [
        ImageReference(name: "dicm_01_input", uiqm: 1.275138, uciqe: 0.376361, entropy: 4.736645, colorfulness: 47.862979,
                       brisque: 16.895034),
        ImageReference(name: "dicm_01_classic_gamma_LUT_2.2", uiqm: 1.072080, uciqe: 0.368152, entropy: 5.554771, colorfulness: 51.639560,
                       brisque: 38.015987),
        ImageReference(name: "dicm_01_classic_CLAHE_L_clip2_8x8", uiqm: 2.156597, uciqe: 0.343011, entropy: 5.146753, colorfulness: 48.172918,
                       brisque: 24.200925),
        ImageReference(name: "dicm_01_classic_equalizeHist_Y", uiqm: 1.741000, uciqe: 0.308174, entropy: 4.322933, colorfulness: 40.206500,
                       brisque: 55.038291),
        ImageReference(name: "dicm_01_classic_grayworld", uiqm: 1.050415, uciqe: 0.361881, entropy: 4.491881, colorfulness: 24.763988,
                       brisque: 20.258465),
        ImageReference(name: "dicm_05_input", uiqm: 2.354303, uciqe: 0.358153, entropy: 7.514768, colorfulness: 61.844745,
                       brisque: 38.383770),
        ImageReference(name: "dicm_05_classic_gamma_LUT_2.2", uiqm: 2.035090, uciqe: 0.295435, entropy: 7.395167, colorfulness: 34.793557,
                       brisque: 32.019274),
        ImageReference(name: "dicm_05_classic_CLAHE_L_clip2_8x8", uiqm: 2.805524, uciqe: 0.343195, entropy: 7.610908, colorfulness: 60.518250,
                       brisque: 19.291822),
        ImageReference(name: "dicm_05_classic_equalizeHist_Y", uiqm: 2.617575, uciqe: 0.340312, entropy: 7.240049, colorfulness: 61.432880,
                       brisque: 27.014878),
        ImageReference(name: "dicm_05_classic_grayworld", uiqm: 2.185512, uciqe: 0.329143, entropy: 7.303926, colorfulness: 36.886170,
                       brisque: 41.099166),
        ImageReference(name: "lime_01_input", uiqm: 1.837379, uciqe: 0.403980, entropy: 6.383114, colorfulness: 55.973303,
                       brisque: 12.788587),
        ImageReference(name: "lime_01_classic_gamma_LUT_2.2", uiqm: 1.963209, uciqe: 0.336508, entropy: 7.114029, colorfulness: 63.047993,
                       brisque: 9.324079),
        ImageReference(name: "lime_01_classic_CLAHE_L_clip2_8x8", uiqm: 2.307408, uciqe: 0.372631, entropy: 6.778082, colorfulness: 56.192662,
                       brisque: 11.929688),
        ImageReference(name: "lime_01_classic_equalizeHist_Y", uiqm: 2.329769, uciqe: 0.324574, entropy: 6.019362, colorfulness: 47.534505,
                       brisque: 14.681497),
        ImageReference(name: "lime_01_classic_grayworld", uiqm: 1.789476, uciqe: 0.398504, entropy: 6.172615, colorfulness: 40.862176,
                       brisque: 12.561879),
        ImageReference(name: "sci_medium_00001_input", uiqm: 1.688732, uciqe: 0.168833, entropy: 5.417459, colorfulness: 18.320523,
                       brisque: 30.309286),
        ImageReference(name: "sci_medium_00001_classic_gamma_LUT_2.2", uiqm: 2.009339, uciqe: 0.193509, entropy: 6.477171, colorfulness: 27.595215,
                       brisque: 23.571740),
        ImageReference(name: "sci_medium_00001_classic_CLAHE_L_clip2_8x8", uiqm: 2.527372, uciqe: 0.188320, entropy: 6.249860, colorfulness: 18.113648,
                       brisque: 28.907275),
        ImageReference(name: "sci_medium_00001_classic_equalizeHist_Y", uiqm: 2.849783, uciqe: 0.285313, entropy: 5.356739, colorfulness: 16.982062,
                       brisque: 27.240055),
        ImageReference(name: "sci_medium_00001_classic_grayworld", uiqm: 1.485836, uciqe: 0.165947, entropy: 5.467299, colorfulness: 11.993651,
                       brisque: 29.994217),
    ]

    func load(_ name: String) throws -> Tensor {
        try Image(contentsOf: Fixtures.require(Fixtures.reference(name))).tensor()
    }

    /// PSNR and SSIM within 1e-4 of scikit-image (the script prints 6 decimals);
    /// MS-SSIM recomputes the same double-precision statistics, so 1e-5.
    @Test(arguments: pairs)
    func fullReferenceMetrics(_ pair: PairReference) throws {
        let input = try load("\(pair.set)_input.png"), enhanced = try load("\(pair.set)_\(pair.method).png")
        #expect(Swift.abs(psnr(enhanced, input) - pair.psnr) < 1e-4)
        #expect(Swift.abs(psnrY(enhanced, input) - pair.psnrY) < 1e-4)
        #expect(Swift.abs(ssim(enhanced, input) - pair.ssim) < 1e-4)
        #expect(Swift.abs(ssimY(enhanced, input) - pair.ssimY) < 1e-4)
        #expect(Swift.abs(msSSIM(enhanced, input) - pair.msSSIM) < 1e-5)
    }

    /// LOE counts order flips on a rounded 8-bit grid, so it is exact unless a resized
    /// value lands within float rounding of a rounding boundary.
    @Test(arguments: pairs)
    func lightnessOrderErrorMatchesPython(_ pair: PairReference) throws {
        let input = try load("\(pair.set)_input.png"), enhanced = try load("\(pair.set)_\(pair.method).png")
        #expect(Swift.abs(lightnessOrderError(enhanced, input: input) - pair.loe) < 1e-6)
    }

    /// UIQM, UCIQE, entropy and colourfulness repeat the NumPy arithmetic in double
    /// precision (UCIQE's Lab in single precision, about 1e-7). BRISQUE matches the
    /// package to 1e-4 on 18 of these 21 images and to 4e-3 on the rest (of a 0–100
    /// scale): its flat regions turn on the last bit of NumPy's gray conversion.
    @Test(arguments: images)
    func noReferenceMetricsMatchPython(_ reference: ImageReference) throws {
        let image = try load("\(reference.name).png")
        #expect(Swift.abs(uiqm(image) - reference.uiqm) < 1e-5)
        #expect(Swift.abs(uciqe(image) - reference.uciqe) < 1e-5)
        #expect(Swift.abs(entropy(image) - reference.entropy) < 1e-5)
        #expect(Swift.abs(colorfulness(image) - reference.colorfulness) < 1e-5)
        #expect(Swift.abs(brisque(image) - reference.brisque) < 5e-3, "BRISQUE \(brisque(image))")
    }
}
