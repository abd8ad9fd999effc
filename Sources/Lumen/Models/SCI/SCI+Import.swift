extension SCI: CheckpointImportable {
    /// `enhance.in_conv.0.*` → `inConv.*`, `enhance.conv.0.*` → `blockConv.*`,
    /// `enhance.conv.1.*` → `blockNorm.*`, `enhance.out_conv.0.*` → `outConv.*`.
    /// Dropped on purpose: the calibration network, the `enhance.blocks.N.*`
    /// aliases and batch-norm's step counter.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        if torchKey.hasPrefix("calibrate.") {
            return .ignore(because: "calibration network, used in training only")
        }
        if torchKey.hasPrefix("enhance.blocks.") {
            return .ignore(because: "alias of enhance.conv: the block's weights are shared")
        }
        return .renamingLayer(torchKey, prefixes: [
            "enhance.in_conv.0.": "inConv.", "enhance.conv.0.": "blockConv.",
            "enhance.conv.1.": "blockNorm.", "enhance.out_conv.0.": "outConv.",
        ])
    }
}
