extension ZeroDCE: CheckpointImportable {
    /// `e_conv3.weight` → `conv3.weight`.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        guard torchKey.hasPrefix("e_conv") else { return nil }
        return .load(as: "conv" + torchKey.dropFirst("e_conv".count))
    }
}
