import LumenIO

extension Image {
    /// The luma the restoration protocols score, row-major on `0...255`: the gray
    /// value of a gray image, else BT.601 studio-range Y (`16 + (65.481·R + 128.553·G +
    /// 24.966·B) / 255`), unrounded. Alpha is ignored.
    public var protocolLuma: [Double] {
        let scale = 255 / Double(maximumValue), count = width * height
        let color = colorChannels
        return (0..<count).map { pixel -> Double in
            let sample = { (channel: Int) in Double(color.samples[pixel * color.channels + channel]) * scale }
            return color.channels == 1 ? sample(0) : RestorationColorSession.studioLuma(sample(0), sample(1), sample(2))
        }
    }
}
