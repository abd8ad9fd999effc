import ArgumentParser
import LumenImaging

/// `--ev-min` and `--ev-max`: the exposure changes of synthetic low light, shared
/// by `lumen synth` and `lumen train --synthesize`.
struct ExposureRangeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Smallest exposure change of the synthetic low light, in stops.")
    var evMin: Float = -3

    @Option(parsing: .unconditional, help: "Largest exposure change of the synthetic low light, in stops.")
    var evMax: Float = -1

    func validate() throws {
        guard evMin <= evMax else { throw ValidationError("--ev-min (\(evMin)) must not exceed --ev-max (\(evMax))") }
        guard (-10...10).contains(evMin), (-10...10).contains(evMax) else {
            throw ValidationError("exposure changes must be within -10...10 EV, got \(evMin)...\(evMax)")
        }
    }

    /// The default degradation with this exposure range.
    var degradation: Degradation {
        var degradation = Degradation()
        degradation.ev = evMin...evMax
        return degradation
    }
}
