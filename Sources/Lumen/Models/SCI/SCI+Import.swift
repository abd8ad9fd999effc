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
        let renames = [
            "enhance.in_conv.0.": "inConv.", "enhance.conv.0.": "blockConv.",
            "enhance.conv.1.": "blockNorm.", "enhance.out_conv.0.": "outConv.",
        ]
        guard let (prefix, lumenPrefix) = renames.first(where: { torchKey.hasPrefix($0.key) }) else { return nil }
        switch torchKey.dropFirst(prefix.count) {
        case "weight": return .load(as: lumenPrefix + "weight")
        case "bias": return .load(as: lumenPrefix + "bias")
        case "running_mean": return .load(as: lumenPrefix + "runningMean")
        case "running_var": return .load(as: lumenPrefix + "runningVariance")
        case "num_batches_tracked": return .ignore(because: "batch-norm step counter, unused with momentum 0.1")
        default: return nil
        }
    }
}
