extension DnCNN: CheckpointImportable {
    /// KAIR's `model.N.weight` → `model.layers.N.weight` (N even: the odd indices are ReLUs), likewise biases.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        let parts = torchKey.split(separator: ".")
        guard parts.count == 3, parts[0] == "model", let index = Int(parts[1]), index.isMultiple(of: 2),
              parts[2] == "weight" || parts[2] == "bias" else { return nil }
        return .load(as: "model.layers.\(index).\(parts[2])")
    }
}
