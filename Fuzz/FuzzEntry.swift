import Foundation

/// The target this binary runs, chosen once by `LLVMFuzzerInitialize`.
nonisolated(unsafe) private var selectedTarget: FuzzTarget?

/// libFuzzer's set-up hook: picks the target from the binary's name, `fuzz-TARGET`
/// (`scripts/fuzz.sh` links one name per target to a single build).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    let binary = URL(fileURLWithPath: String(cString: argv.pointee[0]!)).lastPathComponent
    let name = binary.hasPrefix("fuzz-") ? String(binary.dropFirst("fuzz-".count)) : binary
    guard let target = FuzzTarget(name: name) else {
        FileHandle.standardError.write(Data("\(binary): no fuzz target named '\(name)'\n".utf8))
        exit(2)
    }
    selectedTarget = target
    // A few hundred bytes of RLE BMP (or of deflated PNG) can rightly describe a
    // 200-megapixel image; the decoding limit, not the parser, bounds what that
    // allocates. Fuzzing under a 4-megapixel limit keeps each input well inside
    // libFuzzer's memory limit while every code path stays reachable.
    Image.maximumPixels = 1 << 22
    return 0
}

/// libFuzzer's entry point: runs one input through the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    // A copy indexed from 0, as file contents are; the parsers rely on it.
    let data = count == 0 ? Data() : Data(bytes: start!, count: count)
    selectedTarget!.run(data)
    return 0
}
