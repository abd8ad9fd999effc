#!/usr/bin/env python3
"""Reference values for Lumen's image-quality metrics (Tests/LumenImagingTests/Metrics/).

    ~/.cache/lumen-peers/venv/bin/python scripts/reference-metrics.py

Needs numpy, scipy, scikit-image and Pillow (scripts/setup-peers.sh). BRISQUE comes from
the `brisque` package 0.2.0 itself when it can be imported, for example after
`pip install --no-deps --target /tmp/brisque-pkgs brisque==0.2.0 libsvm-official`
and with PYTHONPATH=/tmp/brisque-pkgs (it also needs OpenCV); otherwise it is skipped.

The image pairs are the lossless PNG fixtures in ../shared/fixtures/reference/:
each input photo against its four classical enhancements (gamma LUT, CLAHE,
histogram equalisation, gray world), so Python and Swift read identical pixels.
PSNR and SSIM come from scikit-image itself, BRISQUE from the `brisque` package;
MS-SSIM, LOE, UIQM, UCIQE, entropy, colourfulness and NIQE are short NumPy
transcriptions of the papers' formulas with the conventions documented in
Sources/LumenImaging/Metrics/, written independently of the Swift code so that the
two check each other. Prints Swift table rows.
"""
import math
import pathlib

import numpy as np
from PIL import Image
from scipy import ndimage, special
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SHARED = pathlib.Path(__file__).resolve().parent.parent.parent / "shared"
REFERENCE = SHARED / "fixtures/reference"
SETS = ["dicm_01", "dicm_05", "lime_01", "sci_medium_00001"]
METHODS = ["classic_gamma_LUT_2.2", "classic_CLAHE_L_clip2_8x8", "classic_equalizeHist_Y", "classic_grayworld"]


def load(path):
    """RGB, float64 in [0, 1], HWC."""
    return np.asarray(Image.open(path).convert("RGB")).astype(np.float64) / 255


def studio_y(rgb):
    """Y of MATLAB's rgb2ycbcr, in [16, 235] / 255."""
    return (16 + rgb @ np.array([65.481, 128.553, 24.966])) / 255


# --- SSIM family -------------------------------------------------------------------

def ssim_terms(x, y):
    """Luminance and contrast-structure maps on the valid region (skimage's crop)."""
    def blur(image):
        return ndimage.gaussian_filter(image, 1.5, truncate=3.5, mode="reflect")[5:-5, 5:-5]
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    return (2 * mx * my + c1) / (mx * mx + my * my + c1), (2 * cxy + c2) / (vx + vy + c2)


def halved(plane):
    """2x2 average; an odd last row or column is averaged with itself."""
    h, w = plane.shape
    plane = np.pad(plane, ((0, h % 2), (0, w % 2)), mode="edge")
    return 0.25 * (plane[0::2, 0::2] + plane[1::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 1::2])


def ms_ssim(x, y):
    weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]
    values = []
    for channel in range(3):
        a, b, value = x[..., channel], y[..., channel], 1.0
        for scale, weight in enumerate(weights):
            luminance, cs = ssim_terms(a, b)
            term = (luminance * cs).mean() if scale == len(weights) - 1 else cs.mean()
            value *= max(term, 0) ** weight
            a, b = halved(a), halved(b)
        values.append(value)
    return float(np.mean(values))


# --- MATLAB imresize (bicubic, antialiased) -------------------------------------------

def cubic(x):
    x = np.abs(x)
    return np.where(x <= 1, 1.5 * x**3 - 2.5 * x**2 + 1, np.where(x <= 2, -0.5 * x**3 + 2.5 * x**2 - 4 * x + 2, 0))


def resize_matrix(n_in, n_out):
    scale = n_out / n_in
    width = 4 / scale if scale < 1 else 4
    u = np.arange(1, n_out + 1) / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - width / 2)
    taps = int(math.ceil(width)) + 2
    index = left[:, None] + np.arange(taps)[None, :]
    distance = u[:, None] - index
    weight = scale * cubic(scale * distance) if scale < 1 else cubic(distance)
    weight /= weight.sum(axis=1, keepdims=True)
    zero_based = index.astype(int) - 1
    period = 2 * n_in
    folded = np.mod(zero_based, period)
    folded = np.where(folded >= n_in, period - 1 - folded, folded)
    matrix = np.zeros((n_out, n_in))
    for row in range(n_out):
        np.add.at(matrix[row], folded[row], weight[row])
    return matrix


def imresize(plane, rows, columns):
    return resize_matrix(plane.shape[0], rows) @ plane @ resize_matrix(plane.shape[1], columns).T


# --- LOE ----------------------------------------------------------------------------

def loe(enhanced, original):
    def lightness(rgb):
        return np.round(255 * rgb.max(axis=2))
    h, w = original.shape[:2]
    ratio = 50 / min(h, w)
    rows, columns = int(np.floor(h * ratio + 0.5)), int(np.floor(w * ratio + 0.5))
    a = np.clip(np.floor(imresize(lightness(original), rows, columns) + 0.5), 0, 255).ravel()
    b = np.clip(np.floor(imresize(lightness(enhanced), rows, columns) + 0.5), 0, 255).ravel()
    flips = (a[:, None] >= a[None, :]) != (b[:, None] >= b[None, :])
    return flips.sum() / a.size


# --- UIQM ---------------------------------------------------------------------------

def uicm(rgb):
    r, g, b = (rgb[..., c].ravel() for c in range(3))
    def trimmed_mean(values):
        values = np.sort(values)
        low, high = math.ceil(0.1 * values.size), math.floor(0.1 * values.size)
        return values[low:values.size - high].mean()
    rg, yb = r - g, (r + g) / 2 - b
    mu_rg, mu_yb = trimmed_mean(rg), trimmed_mean(yb)
    var_rg, var_yb = ((rg - mu_rg) ** 2).mean(), ((yb - mu_yb) ** 2).mean()
    return -0.0268 * math.hypot(mu_rg, mu_yb) + 0.1586 * math.sqrt(var_rg + var_yb)


def blocks(plane, size=8):
    h, w = plane.shape[:2]
    k1, k2 = h // size, w // size
    plane = plane[:k1 * size, :k2 * size]
    shape = (k1, size, k2, size) + plane.shape[2:]
    return plane.reshape(shape).swapaxes(1, 2).reshape(k1, k2, -1)


def eme(plane):
    tiles = blocks(plane)
    high, low = tiles.max(axis=2), tiles.min(axis=2)
    ok = low > 0
    return 2 / (tiles.shape[0] * tiles.shape[1]) * np.log(high[ok] / low[ok]).sum()


def uism(rgb):
    total = 0.0
    for channel, weight in zip(range(3), [0.299, 0.587, 0.114]):
        plane = rgb[..., channel]
        magnitude = np.hypot(ndimage.sobel(plane, 0, mode="nearest"), ndimage.sobel(plane, 1, mode="nearest"))
        total += weight * eme(magnitude * plane)
    return total


def uiconm(rgb):
    tiles = blocks(rgb)
    high, low = tiles.max(axis=2), tiles.min(axis=2)
    ok = (high + low > 0) & (high > low)
    ratio = (high[ok] - low[ok]) / (high[ok] + low[ok])
    return -(ratio * np.log(ratio)).sum() / (tiles.shape[0] * tiles.shape[1])


def uiqm(rgb):
    rgb = np.round(rgb * 255)
    return 0.0282 * uicm(rgb) + 0.2953 * uism(rgb) + 3.5753 * uiconm(rgb)


# --- UCIQE, entropy, colourfulness ------------------------------------------------------

def lab_from_rgb(rgb):
    """CIELab with OpenCV's constants in double precision (cv2's own float path
    interpolates tables and is only good to about 1e-3)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    matrix = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]])
    xyz = linear @ matrix.T / np.array([0.950456, 1, 1.088754])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    lightness = np.where(xyz[..., 1] > 0.008856, 116 * f[..., 1] - 16, 903.3 * xyz[..., 1])
    return np.stack([lightness, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def uciqe(rgb):
    lab = lab_from_rgb(rgb)
    lightness = lab[..., 0].ravel() / 100
    chroma = np.hypot(lab[..., 1], lab[..., 2]).ravel() / 255
    count = max(1, int(np.floor(0.01 * lightness.size + 0.5)))
    ordered = np.sort(lightness)
    contrast = ordered[-count:].mean() - ordered[:count].mean()
    denominator = np.hypot(chroma, lightness)
    saturation = np.divide(chroma, denominator, out=np.zeros_like(chroma), where=denominator > 0)
    return 0.4680 * chroma.std() + 0.2745 * contrast + 0.2576 * saturation.mean()


def entropy(rgb):
    levels = np.round(255 * rgb).astype(int)
    gray = (levels @ np.array([299, 587, 114]) + 500) // 1000
    p = np.bincount(gray.ravel(), minlength=256) / gray.size
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def colorfulness(rgb):
    r, g, b = (255 * rgb[..., c] for c in range(3))
    rg, yb = r - g, (r + g) / 2 - b
    return math.hypot(rg.std(), yb.std()) + 0.3 * math.hypot(rg.mean(), yb.mean())


# --- NIQE ---------------------------------------------------------------------------

GAMMA_GRID = np.arange(0.2, 10.001, 0.001)
GAMMA_RATIO = special.gamma(2 / GAMMA_GRID) ** 2 / (special.gamma(1 / GAMMA_GRID) * special.gamma(3 / GAMMA_GRID))


def aggd(values):
    values = values.ravel()
    left, right = np.sqrt((values[values < 0] ** 2).mean()), np.sqrt((values[values > 0] ** 2).mean())
    ratio = left / right
    rhat = np.abs(values).mean() ** 2 / (values ** 2).mean()
    normalised = rhat * (ratio ** 3 + 1) * (ratio + 1) / (ratio ** 2 + 1) ** 2
    alpha = GAMMA_GRID[np.argmin((GAMMA_RATIO - normalised) ** 2)]
    factor = np.sqrt(special.gamma(1 / alpha) / special.gamma(3 / alpha))
    return alpha, left * factor, right * factor


def block_features(block):
    alpha, left, right = aggd(block)
    features = [alpha, (left + right) / 2]
    for shift in [(0, 1), (1, 0), (1, 1), (1, -1)]:
        alpha, left, right = aggd(block * np.roll(block, shift, axis=(0, 1)))
        mean = (right - left) * special.gamma(2 / alpha) / special.gamma(1 / alpha)
        features += [alpha, mean, left, right]
    return features


def niqe(rgb, model):
    y = np.floor(255 * studio_y(rgb) + 0.5)
    window = model["gaussian_window"]
    rows, columns = y.shape[0] // 96, y.shape[1] // 96
    image = y[:rows * 96, :columns * 96]
    per_scale = []
    for scale in (1, 2):
        # MATLAB and BasicSR hold the local statistics in single precision, and the
        # cancellation in E[I^2] - mu^2 shows in the score (see NIQE.swift).
        image = image.astype(np.float32)
        mu = ndimage.convolve(image, window, mode="nearest")
        sigma = np.sqrt(np.abs(ndimage.convolve(image * image, window, mode="nearest") - mu * mu))
        normalised = ((image - mu) / (sigma + 1)).astype(np.float64)
        size = 96 // scale
        per_scale.append(np.array([block_features(normalised[r * size:(r + 1) * size, c * size:(c + 1) * size])
                                   for r in range(rows) for c in range(columns)]))
        image = imresize(image.astype(np.float64) / 255, image.shape[0] // 2, image.shape[1] // 2).astype(np.float32) * 255
    features = np.concatenate(per_scale, axis=1)
    mean = np.nanmean(features, axis=0)
    covariance = np.cov(features[~np.isnan(features).any(axis=1)], rowvar=False)
    difference = model["mu_pris_param"].ravel() - mean
    return float(np.sqrt(difference @ np.linalg.pinv((model["cov_pris_param"] + covariance) / 2) @ difference))


def main():
    print("// Full-reference: (set, method, PSNR, PSNR-Y, SSIM, SSIM-Y, MS-SSIM, LOE)")
    for name in SETS:
        original = load(REFERENCE / f"{name}_input.png")
        for method in METHODS:
            enhanced = load(REFERENCE / f"{name}_{method}.png")
            psnr = peak_signal_noise_ratio(original, enhanced, data_range=1)
            psnr_y = peak_signal_noise_ratio(studio_y(original), studio_y(enhanced), data_range=1)
            options = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1)
            ssim = structural_similarity(original, enhanced, channel_axis=2, **options)
            ssim_y = structural_similarity(studio_y(original), studio_y(enhanced), **options)
            print(f'("{name}", "{method}", {psnr:.6f}, {psnr_y:.6f}, {ssim:.6f}, {ssim_y:.6f}, '
                  f'{ms_ssim(enhanced, original):.6f}, {loe(enhanced, original):.6f}),')
    print("// No-reference: (image, UIQM, UCIQE, entropy, colourfulness)")
    for name in SETS:
        for suffix in ["input"] + METHODS:
            image = load(REFERENCE / f"{name}_{suffix}.png")
            print(f'("{name}_{suffix}", {uiqm(image):.6f}, {uciqe(image):.6f}, {entropy(image):.6f}, '
                  f'{colorfulness(image):.6f}),')
    model = np.load(SHARED / "fixtures/metrics/niqe_pris_params.npz")
    baboon = load(SHARED / "fixtures/metrics/baboon.png")
    print(f"// NIQE baboon.png: {niqe(baboon, model):.6f}")
    try:
        from brisque import BRISQUE
    except ImportError:
        print("// BRISQUE skipped: the brisque package is not importable")
        return
    scorer = BRISQUE(url=False)
    print("// BRISQUE: (image, score)")
    for path in [REFERENCE / f"{name}_{suffix}.png" for name in SETS for suffix in ["input"] + METHODS] + \
            [SHARED / "fixtures/metrics/baboon.png"]:
        print(f'("{path.stem}", {scorer.score(np.asarray(Image.open(path).convert("RGB"))):.6f}),')


if __name__ == "__main__":
    main()
