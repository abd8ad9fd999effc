/// Per-channel gains in linear light, as a wrong white balance or a coloured light
/// source gives.
public struct ColorCast: Codable, Sendable, Equatable {
    /// Linear-light gain of the red channel.
    public var red: Float
    /// Linear-light gain of the green channel.
    public var green: Float
    /// Linear-light gain of the blue channel.
    public var blue: Float

    /// No cast: every gain 1.
    public static let neutral = ColorCast(red: 1, green: 1, blue: 1)

    public init(red: Float, green: Float, blue: Float) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// The gains in channel order (R, G, B).
    var gains: [Float] { [red, green, blue] }
}
