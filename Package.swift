// swift-tools-version: 6.0
//
// Lumen: deep-learning image enhancement in Swift.
// Dependencies point one way, top to bottom (see README, "Architecture"):
//   CBLAS, CLumenKernels -> LumenTensor -> LumenNN
//   CImageCodecs, LumenTensor -> LumenIO
//   LumenTensor, LumenIO -> LumenImaging (colour, classical methods, plots)
//   LumenNN, LumenIO, LumenImaging -> Lumen (models) -> LumenTraining, LumenEvaluation, LumenDeploy (ONNX, int8, pruning) -> LumenCLI (`lumen`)
// No unsafe compiler flags: hot kernels pick their instruction set at run time,
// so the package stays usable as a versioned dependency.
import PackageDescription

let package = Package(
    name: "Lumen",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LumenTensor", targets: ["LumenTensor"]),
        .library(name: "LumenNN", targets: ["LumenNN"]),
        .library(name: "LumenIO", targets: ["LumenIO"]),
        .library(name: "LumenImaging", targets: ["LumenImaging"]),
        .library(name: "Lumen", targets: ["Lumen"]),
        .library(name: "LumenTraining", targets: ["LumenTraining"]),
        .library(name: "LumenEvaluation", targets: ["LumenEvaluation"]),
        .library(name: "LumenDeploy", targets: ["LumenDeploy"]),
        .executable(name: "lumen", targets: ["LumenCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "CLumenKernels"),
        .target(
            name: "LumenTensor",
            dependencies: [
                .target(name: "CBLAS", condition: .when(platforms: [.linux])),
                "CLumenKernels",
            ]
        ),
        .target(name: "LumenNN", dependencies: ["LumenTensor"]),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg"), .linkedLibrary("tiff"), .linkedLibrary("webp")]
        ),
        .target(name: "LumenIO", dependencies: ["LumenTensor", "CImageCodecs"]),
        .target(name: "LumenImaging", dependencies: ["LumenTensor", "LumenIO"]),
        .target(name: "Lumen", dependencies: ["LumenNN", "LumenIO", "LumenImaging"]),
        .target(name: "LumenTraining", dependencies: ["Lumen", "LumenImaging"]),
        .target(name: "LumenEvaluation", dependencies: ["Lumen"]),
        .target(name: "LumenDeploy", dependencies: ["Lumen", "LumenImaging"]),
        .executableTarget(
            name: "LumenCLI",
            dependencies: [
                "LumenTraining", "LumenEvaluation", "LumenDeploy", "LumenImaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "LumenTestSupport", dependencies: ["LumenTensor", "LumenIO"]),
        .testTarget(name: "LumenTensorTests", dependencies: ["LumenTensor", "LumenTestSupport"]),
        .testTarget(name: "LumenNNTests", dependencies: ["LumenNN", "LumenTestSupport"]),
        .testTarget(name: "LumenIOTests", dependencies: ["LumenIO", "LumenTestSupport"],
                    resources: [.copy("Formats")]),
        .testTarget(name: "LumenTests", dependencies: ["Lumen", "LumenTestSupport"], exclude: ["References"]),
        .testTarget(name: "LumenImagingTests", dependencies: ["LumenImaging", "LumenTestSupport"]),
        .testTarget(name: "LumenTrainingTests", dependencies: ["LumenTraining", "LumenTestSupport"]),
        .testTarget(name: "LumenEvaluationTests", dependencies: ["LumenEvaluation", "LumenTestSupport"]),
        .testTarget(name: "LumenDeployTests", dependencies: ["LumenDeploy", "LumenTestSupport"]),
        .testTarget(name: "LumenCLITests", dependencies: ["LumenTraining", "LumenDeploy", "LumenIO", "LumenTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
