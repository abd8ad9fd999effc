extension SCITrainingNetwork: CheckpointImportable {
    /// `enhance.*` → `enhancer.*` by ``SCI``'s rules; `calibrate.in_conv.0.*` →
    /// `calibrator.inConv.*`, `calibrate.in_conv.1.*` → `calibrator.inNorm.*`,
    /// `calibrate.convs.{0,1,3,4}.*` → `calibrator.{blockConv1, blockNorm1,
    /// blockConv2, blockNorm2}.*`, `calibrate.out_conv.0.*` → `calibrator.outConv.*`.
    ///
    /// Dropped on purpose: batch-norm's step counters and the `*.blocks.N.*`
    /// keys. The official code appends the same block module N times to a
    /// `ModuleList`, so those keys are aliases of `enhance.conv.*` and
    /// `calibrate.convs.*`.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        if torchKey.hasPrefix("enhance.") {
            let rule = SCI.importRule(forKey: torchKey)
            if case .load(let key)? = rule { return .load(as: "enhancer." + key) }
            return rule
        }
        if torchKey.hasPrefix("calibrate.blocks.") {
            return .ignore(because: "alias of calibrate.convs: the block's weights are shared")
        }
        return .renamingLayer(torchKey, prefixes: [
            "calibrate.in_conv.0.": "calibrator.inConv.", "calibrate.in_conv.1.": "calibrator.inNorm.",
            "calibrate.convs.0.": "calibrator.blockConv1.", "calibrate.convs.1.": "calibrator.blockNorm1.",
            "calibrate.convs.3.": "calibrator.blockConv2.", "calibrate.convs.4.": "calibrator.blockNorm2.",
            "calibrate.out_conv.0.": "calibrator.outConv.",
        ])
    }
}
