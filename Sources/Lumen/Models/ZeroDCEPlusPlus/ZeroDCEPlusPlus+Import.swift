extension ZeroDCEPlusPlus: CheckpointImportable {
    /// `e_conv3.depth_conv.weight` → `conv3.depthwise.weight`, `point_conv` → `pointwise`.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        guard torchKey.hasPrefix("e_conv") else { return nil }
        let parts = torchKey.dropFirst("e_conv".count).split(separator: ".")
        guard parts.count == 3, let layer = ["depth_conv": "depthwise", "point_conv": "pointwise"][String(parts[1])] else {
            return nil
        }
        return .load(as: "conv\(parts[0]).\(layer).\(parts[2])")
    }
}
