extension Image {
    /// The image as it is meant to be displayed, given the EXIF orientation of its stored pixels.
    func oriented(_ orientation: EXIFOrientation) -> Image {
        if orientation == .up { return self }
        let (displayWidth, displayHeight) = orientation.swapsDimensions ? (height, width) : (width, height)
        var result = [UInt16]()
        result.reserveCapacity(samples.count)
        for y in 0..<displayHeight {
            for x in 0..<displayWidth {
                let stored = orientation.storedPosition(x: x, y: y, width: width, height: height)
                let start = (stored.y * width + stored.x) * channels
                result.append(contentsOf: samples[start..<start + channels])
            }
        }
        return Image(width: displayWidth, height: displayHeight, channels: channels, bitDepth: bitDepth, samples: result)
    }
}
