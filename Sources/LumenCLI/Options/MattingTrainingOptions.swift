import ArgumentParser
import Foundation
import Lumen
import LumenTraining

/// `lumen train matting-unet`'s options.
struct MattingTrainingOptions: ParsableArguments {
    @Option(help: "matting-unet: folder with image/ and alpha/ of the same names, as `lumen synth-matting` writes.")
    var mattes: String?

    @Option(help: "matting-unet: the low-light front end, none, illumination (the seed's) or zero-dce-pp (from the bundled weights).")
    var frontEnd: MattingFrontEndKind = .none

    @Option(help: "matting-unet: the stage plan, seed (the seed's three stages, 60 epochs), none (one stage of --epochs at --lr, nothing frozen) or a JSON file.")
    var stages: String = "seed"

    @Option(help: "matting-unet: a constant weight of the edge term (0 leaves it out) instead of 3 below mean luminance 0.3 and 1.5 above.")
    var edgeWeight: Float?

    var anyGiven: Bool { mattes != nil || frontEnd != .none || stages != "seed" || edgeWeight != nil }

    /// The recipe settings these flags describe; `epochs` and `learningRate` serve `--stages none`.
    func settings(epochs: Int, learningRate: Float) throws -> MattingRecipe.Settings {
        let plan = switch stages {
        case "seed": MattingStagePlan.seed(frontEnd: frontEnd != .none)
        case "none": MattingStagePlan.single(epochs: epochs, learningRate: learningRate)
        default: try MattingStagePlan(contentsOf: URL(fileURLWithPath: stages))
        }
        return MattingRecipe.Settings(frontEnd: frontEnd, plan: plan, objective: MattingObjective(fixedEdgeWeight: edgeWeight))
    }

    func validate() throws {
        if let edgeWeight, !(edgeWeight >= 0 && edgeWeight.isFinite) {
            throw ValidationError("--edge-weight must be zero or positive, got \(edgeWeight)")
        }
    }
}

extension MattingFrontEndKind: ExpressibleByArgument {}
