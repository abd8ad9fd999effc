extension ESPCN: CheckpointImportable {
    /// Nhat-Thanh/ESPCN-Pytorch's `conv_1.weight` → `conv1.weight`, likewise biases and `conv_2`, `conv_3`.
    public static func importRule(forKey torchKey: String) -> CheckpointKeyRule? {
        CheckpointKeyRule.renamingLayer(torchKey, prefixes: ["conv_1.": "conv1.", "conv_2.": "conv2.", "conv_3.": "conv3."])
    }
}
