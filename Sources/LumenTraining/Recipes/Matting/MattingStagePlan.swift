import Foundation

/// Staged fine-tuning as one run description: each stage trains for some epochs at
/// its own learning rate with parts of the network frozen.
///
/// A stage names what it trains (`train`: everything else is frozen) or what it
/// freezes (`freeze`: everything else trains), by parameter-key prefixes such as
/// `head`, `encoder.stage2` or `frontEnd`. A frozen part gets no gradients, so its
/// weights, its batch-norm statistics (it runs in evaluation mode) and its optimiser
/// state stay exactly as they were.
///
/// The file `lumen train matting-unet --stages plan.json` reads:
///
/// ```json
/// {"stages": [
///   {"name": "head", "epochs": 10, "learningRate": 1e-4, "train": ["head"]},
///   {"name": "late encoder", "epochs": 20, "learningRate": 5e-5,
///    "freeze": ["encoder.stem", "encoder.stage1", "encoder.stage2", "encoder.stage3"]},
///   {"name": "all", "epochs": 30, "learningRate": 1e-5, "freeze": []}
/// ]}
/// ```
public struct MattingStagePlan: Codable, Sendable, Equatable {
    public struct Stage: Codable, Sendable, Equatable {
        public var name: String
        public var epochs: Int
        public var learningRate: Float
        /// The parts that train; all others are frozen. Exclusive with ``freeze``.
        public var train: [String]?
        /// The parts that are frozen; all others train.
        public var freeze: [String]?

        public init(name: String, epochs: Int, learningRate: Float, train: [String]? = nil, freeze: [String]? = nil) {
            (self.name, self.epochs, self.learningRate, self.train, self.freeze) = (name, epochs, learningRate, train, freeze)
        }

        /// Which of the parameter keys `keys` this stage freezes.
        public func frozenKeys(_ keys: [String]) -> Set<String> {
            if let train { return Set(keys.filter { key in !train.contains { covers($0, key) } }) }
            return Set(keys.filter { key in (freeze ?? []).contains { covers($0, key) } })
        }
    }

    public var stages: [Stage]

    public init(stages: [Stage]) { self.stages = stages }

    /// Seed 001's schedule: the head alone at 1e-4 for 10 epochs, then all but the
    /// first three encoder stages at 5e-5 for 20, then everything at 1e-5 for 30.
    /// With a front end it trains with the head and the middle stage (jointly) and is
    /// frozen in the last (frozen late, as the seed says).
    public static func seed(frontEnd: Bool) -> MattingStagePlan {
        let early = ["encoder.stem", "encoder.stage1", "encoder.stage2", "encoder.stage3"]
        return MattingStagePlan(stages: [
            Stage(name: "head", epochs: 10, learningRate: 1e-4, train: ["head"] + (frontEnd ? ["frontEnd"] : [])),
            Stage(name: "late encoder", epochs: 20, learningRate: 5e-5, freeze: early),
            Stage(name: "all", epochs: 30, learningRate: 1e-5, freeze: frontEnd ? ["frontEnd"] : []),
        ])
    }

    /// One stage of `epochs` epochs at `learningRate` with nothing frozen: training
    /// without staging.
    public static func single(epochs: Int, learningRate: Float) -> MattingStagePlan {
        MattingStagePlan(stages: [Stage(name: "all", epochs: epochs, learningRate: learningRate, freeze: [])])
    }

    /// Reads a plan file.
    /// - Throws: `MattingStagePlanError` naming the file and what is wrong.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MattingStagePlanError(file: url.relativePath, reason: "cannot be read (\(error.localizedDescription))")
        }
        do { self = try JSONDecoder().decode(MattingStagePlan.self, from: data) } catch {
            throw MattingStagePlanError(file: url.relativePath, reason: "is not a stage plan ({\"stages\": [{\"name\", \"epochs\", "
                                        + "\"learningRate\", \"train\" or \"freeze\"}, ...]}): \(error)")
        }
    }

    /// The epochs of all stages.
    public var epochs: Int { stages.reduce(0) { $0 + $1.epochs } }

    /// The stage that `epoch` (counting from 0) falls in.
    public func stage(atEpoch epoch: Int) -> Stage {
        var end = 0
        for stage in stages {
            end += stage.epochs
            if epoch < end { return stage }
        }
        return stages[stages.count - 1]
    }

    /// Why this plan cannot train a network whose parameter keys are `keys`, or `nil`.
    public func problem(parameterKeys keys: [String]) -> String? {
        guard !stages.isEmpty else { return "has no stages" }
        for (index, stage) in stages.enumerated() {
            let label = "stage \(index + 1) (\"\(stage.name)\")"
            guard stage.epochs > 0 else { return "\(label) has \(stage.epochs) epochs; each stage needs at least one" }
            guard stage.learningRate > 0 && stage.learningRate.isFinite else {
                return "\(label) has the learning rate \(stage.learningRate); it must be positive"
            }
            guard (stage.train == nil) != (stage.freeze == nil) else {
                return "\(label) must name either what it trains (\"train\") or what it freezes (\"freeze\"), not both or neither"
            }
            for part in (stage.train ?? []) + (stage.freeze ?? []) where !keys.contains(where: { covers(part, $0) }) {
                return "\(label) names \(part), which is no part of this network; its parts are "
                    + Self.parts(of: keys).joined(separator: ", ")
            }
            if let train = stage.train, train.isEmpty { return "\(label) trains nothing" }
        }
        return nil
    }

    /// The parts a plan can name: the first two levels of the keys (`encoder.stage2`, `head.conv`).
    static func parts(of keys: [String]) -> [String] {
        var seen: [String] = []
        for key in keys {
            let components = key.split(separator: ".")
            let part = components.prefix(components.first == "encoder" || components.first == "frontEnd" ? 2 : 1)
                .joined(separator: ".")
            if !seen.contains(part) { seen.append(part) }
        }
        return seen
    }
}

/// Whether the key prefix `part` covers `key` (`encoder.stage1` covers
/// `encoder.stage1.0.project.weight`, not `encoder.stage10.x`).
func covers(_ part: String, _ key: String) -> Bool { key == part || key.hasPrefix(part + ".") }

/// A stage plan file that cannot be used.
public struct MattingStagePlanError: Error, LocalizedError, Equatable {
    public let file: String
    public let reason: String
    public var errorDescription: String? { "\(file) \(reason)" }
}
