import LumenImaging
import LumenIO
import LumenTensor

/// One photo on its way through a ``RestorationColorModel``: the network's input
/// and what it takes to turn output tiles into samples.
struct RestorationColorSession {
    let model: RestorationColorModel
    /// The source has one colour channel.
    let isGray: Bool
    /// The network's input, `[N, channels, H, W]`.
    let input: Tensor
    /// OpenCV luma only: Cr and Cb / 255 of the source, row-major planes.
    let chroma: (cr: [Float], cb: [Float])?
    /// The source's size.
    let height: Int, width: Int

    /// - Parameter image: the photo; alpha, if any, is left out.
    init(_ model: RestorationColorModel, image: Image) {
        self.model = model
        let color = image.colorChannels
        isGray = color.channels == 1
        (height, width) = (image.height, image.width)
        switch model {
        case .rgb:
            input = color.rgb().tensor()
            chroma = nil
        case .gray:
            let planes = color.tensor()
            input = planes.reshaped([color.channels, 1, color.height, color.width])
            chroma = nil
        case .opencvLuma:
            // OpenCV's convertTo(CV_32F, 1.0 / 255): a product with the float 1/255, not a division.
            let bytes = color.converted(toBitDepth: 8), byteScale = Float(1.0 / 255.0)
            if isGray {
                input = Tensor(shape: [1, 1, bytes.height, bytes.width], scalars: bytes.samples.map { Float($0) * byteScale })
                chroma = nil
            } else {
                let planes = Self.ycrcbPlanes(of: bytes)
                input = Tensor(shape: [1, 1, bytes.height, bytes.width], scalars: planes.y.map { Float($0) * byteScale })
                chroma = (planes.cr.map { Float($0) * byteScale }, planes.cb.map { Float($0) * byteScale })
            }
        case .nhatThanhYCbCr:
            let bytes = color.rgb().converted(toBitDepth: 8)
            input = Self.nhatThanhYCbCr(bytes)
            chroma = nil
        }
    }

    /// Channels of the restored photo: 1 for gray sources, else 3.
    var outputChannels: Int { isGray ? 1 : 3 }

    /// Writes the network's output `tile` `[N, channels, h, w]`, which covers output
    /// rows `rows` and columns `columns` of the `outputHeight` x `outputWidth` result,
    /// into `samples` (interleaved, ``outputChannels``, at `bitDepth`) and, when
    /// given, the protocol luma `luma` (on `0...255`).
    func write(_ tile: Tensor, rows: Range<Int>, columns: Range<Int>, outputHeight: Int, outputWidth: Int,
               bitDepth: Int, into samples: UnsafeMutablePointer<UInt16>, luma: UnsafeMutablePointer<Double>?) {
        let (height, width) = (rows.count, columns.count)
        let count = height * width
        let planes = tile.scalars
        let maximum = Float((1 << bitDepth) - 1)
        let channels = outputChannels
        func store(_ row: Int, _ column: Int, _ channel: Int, _ value: UInt16) {
            samples[((rows.lowerBound + row) * outputWidth + columns.lowerBound + column) * channels + channel] = value
        }
        func storeLuma(_ row: Int, _ column: Int, _ value: Double) {
            luma?[(rows.lowerBound + row) * outputWidth + columns.lowerBound + column] = value
        }
        func quantized(_ value: Float) -> UInt16 {
            UInt16(((value.isNaN ? 0 : min(max(value, 0), 1)) * maximum).rounded(.toNearestOrEven))
        }
        let byteScale: UInt16 = bitDepth == 16 ? 257 : 1
        switch model {
        case .rgb, .gray:
            // rgb: one image of 3 channels; gray: one image of 1 channel per colour channel. Same layout.
            let planeStride = tile.shape[0] * tile.shape[1] == 1 ? 0 : count
            for index in 0..<count {
                let (row, column) = index.quotientAndRemainder(dividingBy: width)
                let red = planes[index], green = planes[planeStride + index], blue = planes[2 * planeStride + index]
                if isGray {
                    let value = model == .rgb ? 0.299 * red + 0.587 * green + 0.114 * blue : red
                    store(row, column, 0, quantized(value))
                    storeLuma(row, column, 255 * Double(value))
                } else {
                    store(row, column, 0, quantized(red))
                    store(row, column, 1, quantized(green))
                    store(row, column, 2, quantized(blue))
                    storeLuma(row, column, Self.studioLuma(255 * Double(red), 255 * Double(green), 255 * Double(blue)))
                }
            }
        case .opencvLuma:
            let y = planes.map { Self.saturatedByte($0 * 255) }
            for index in 0..<count {
                let (row, column) = index.quotientAndRemainder(dividingBy: width)
                storeLuma(row, column, isGray ? 255 * Double(planes[index]) : 16 + 219 * Double(planes[index]))
            }
            if isGray {
                for index in 0..<count {
                    let (row, column) = index.quotientAndRemainder(dividingBy: width)
                    store(row, column, 0, UInt16(y[index]) * byteScale)
                }
                return
            }
            let scale = outputHeight / self.height
            let cr = enlargedLikeOpenCV(chroma!.cr, scale: scale, rows: rows, columns: columns).map { Self.saturatedByte($0 * 255) }
            let cb = enlargedLikeOpenCV(chroma!.cb, scale: scale, rows: rows, columns: columns).map { Self.saturatedByte($0 * 255) }
            var red = [UInt8](repeating: 0, count: count), green = red, blue = red
            OpenCVYCrCb.toRGB(y: y, cr: cr, cb: cb, red: &red, green: &green, blue: &blue, count: count)
            for index in 0..<count {
                let (row, column) = index.quotientAndRemainder(dividingBy: width)
                store(row, column, 0, UInt16(red[index]) * byteScale)
                store(row, column, 1, UInt16(green[index]) * byteScale)
                store(row, column, 2, UInt16(blue[index]) * byteScale)
            }
        case .nhatThanhYCbCr:
            for index in 0..<count {
                let (row, column) = index.quotientAndRemainder(dividingBy: width)
                let outY = planes[index]
                storeLuma(row, column, isGray ? 255 * Double(outY) : 16 + 219 * Double(outY))
                // demo.py: uint8(output * 255), then its ycbcr2rgb in float32, clipped and truncated.
                let y = Self.truncatedByte(outY * 255), cb = Self.truncatedByte(planes[count + index] * 255)
                let cr = Self.truncatedByte(planes[2 * count + index] * 255)
                if isGray {
                    store(row, column, 0, UInt16(y) * byteScale)
                    continue
                }
                let (fy, fcb, fcr) = (Float(y), Float(cb), Float(cr))
                let red = fy + 1.402 * fcr - 179.456
                let green = fy - 0.34414 * fcb - 0.71414 * fcr + 135.45984
                let blue = fy + 1.772 * fcb - 226.816
                store(row, column, 0, UInt16(Self.truncatedByte(red)) * byteScale)
                store(row, column, 1, UInt16(Self.truncatedByte(green)) * byteScale)
                store(row, column, 2, UInt16(Self.truncatedByte(blue)) * byteScale)
            }
        }
    }

    /// Output rows `rows` and columns `columns` of `plane` (the source's size)
    /// enlarged `scale` times as OpenCV's generic `cv::resize(INTER_LINEAR)` computes it
    /// in float: source position `(x + 0.5) / scale − 0.5` rounded to float, weights
    /// `1 − f` and `f`, each row first, then the two rows. Across columns a position
    /// outside the image is clamped with its fraction set to 0; across rows only the
    /// row indices are clamped, so a border row is `r · (1 − f) + r · f` as in OpenCV.
    /// Bit-identical to OpenCV with IPP off (IPP's variant rounds differently, and at
    /// ×2 and ×4 many chroma values sit exactly on a byte's half).
    func enlargedLikeOpenCV(_ plane: [Float], scale: Int, rows: Range<Int>, columns: Range<Int>) -> [Float] {
        func position(_ output: Int) -> (index: Int, fraction: Float) {
            let position = Float((Double(output) + 0.5) * (1 / Double(scale)) - 0.5)
            let index = Int(position.rounded(.down))
            return (index, position - Float(index))
        }
        let horizontal = columns.map { column -> (Int, Int, Float) in
            var (index, fraction) = position(column)
            if index < 0 { (index, fraction) = (0, 0) }
            if index >= width - 1 { (index, fraction) = (width - 1, 0) }
            return (index, Swift.min(index + 1, width - 1), fraction)
        }
        func row(_ source: Int) -> [Float] {
            let source = Swift.min(Swift.max(source, 0), height - 1)
            return horizontal.map { left, right, fraction in
                plane[source * width + left] * (1 - fraction) + plane[source * width + right] * fraction
            }
        }
        var result: [Float] = []
        result.reserveCapacity(rows.count * columns.count)
        for output in rows {
            let (top, fraction) = position(output)
            let upper = row(top), lower = row(top + 1)
            for index in upper.indices { result.append(upper[index] * (1 - fraction) + lower[index] * fraction) }
        }
        return result
    }

    /// BT.601 studio-range luma of R, G, B on `0...255`, not rounded: the SR protocol's Y.
    static func studioLuma(_ red: Double, _ green: Double, _ blue: Double) -> Double {
        16 + (65.481 * red + 128.553 * green + 24.966 * blue) / 255
    }

    /// OpenCV's `saturate_cast<uchar>` of a float: rounded to nearest, ties to even, clamped.
    static func saturatedByte(_ value: Float) -> UInt8 {
        UInt8(value.isNaN ? 0 : min(max(value, 0), 255).rounded(.toNearestOrEven))
    }

    /// PyTorch's `.type(torch.uint8)` of a value clipped to `0...255`: truncated toward zero.
    static func truncatedByte(_ value: Float) -> UInt8 {
        UInt8(value.isNaN ? 0 : min(max(value, 0), 255).rounded(.towardZero))
    }

    /// OpenCV's 8-bit Y, Cr and Cb planes of an 8-bit RGB photo.
    static func ycrcbPlanes(of image: Image) -> (y: [UInt8], cr: [UInt8], cb: [UInt8]) {
        let rgb = image.rgb(), count = image.width * image.height
        let red = (0..<count).map { UInt8(rgb.samples[3 * $0]) }, green = (0..<count).map { UInt8(rgb.samples[3 * $0 + 1]) }
        let blue = (0..<count).map { UInt8(rgb.samples[3 * $0 + 2]) }
        var y = [UInt8](repeating: 0, count: count), cr = y, cb = y
        OpenCVYCrCb.fromRGB(red: red, green: green, blue: blue, y: &y, cr: &cr, cb: &cb, count: count)
        return (y, cr, cb)
    }

    /// Nhat-Thanh's `rgb2ycbcr` of an 8-bit RGB photo, / 255: `[1, 3, H, W]`, Y, Cb, Cr.
    /// The float32 products and sums run left to right, as PyTorch evaluates them.
    static func nhatThanhYCbCr(_ image: Image) -> Tensor {
        let count = image.width * image.height
        return Tensor(shape: [1, 3, image.height, image.width]) { buffer in
            for index in 0..<count {
                let red = Float(image.samples[3 * index]), green = Float(image.samples[3 * index + 1])
                let blue = Float(image.samples[3 * index + 2])
                let y = 0.299 * red + 0.587 * green + 0.114 * blue
                let cb = -0.16874 * red - 0.33126 * green + 0.5 * blue + 128
                let cr = 0.5 * red - 0.41869 * green - 0.08131 * blue + 128
                buffer[index] = Float(truncatedByte(min(max(y, 16), 235))) / 255
                buffer[count + index] = Float(truncatedByte(min(max(cb, 16), 240))) / 255
                buffer[2 * count + index] = Float(truncatedByte(min(max(cr, 16), 240))) / 255
            }
        }
    }
}
