import Testing

extension Tag {
    /// Compares against stored PyTorch or OpenCV outputs in `../shared/fixtures/`.
    @Tag public static var golden: Self
    /// Runs a whole pipeline: the built `lumen` binary, real files in, files out.
    @Tag public static var endToEnd: Self
    /// Takes more than a few seconds in a debug build.
    @Tag public static var slow: Self
}
