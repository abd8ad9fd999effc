import ArgumentParser

/// The `lumen` command-line tool.
@main
struct LumenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumen",
        abstract: "Deep-learning image enhancement: brighten low-light photos, train and evaluate models.",
        subcommands: [Demo.self]
    )
}
