import ArgumentParser
import Lumen

extension RestorationModelKind: ExpressibleByArgument {
    /// Refuses a model that does not do `task` (`lumen upscale --model dncnn`), naming those that do.
    func require(_ task: RestorationTask) throws {
        guard self.task != task else { return }
        let fitting = Self.allCases.filter { $0.task == task }.map(\.rawValue).joined(separator: ", ")
        throw ValidationError(task == .superResolution
            ? "--model \(rawValue) is not a super-resolution model; the models are \(fitting)"
            : "--model \(rawValue) is not a denoiser; the denoisers are \(fitting)")
    }
}
