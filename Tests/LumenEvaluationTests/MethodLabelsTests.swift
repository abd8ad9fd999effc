import LumenEvaluation
import Testing

@Suite struct MethodLabelsTests {
    @Test func namesAndFileNamesWhenTheyDiffer() {
        let labels = MethodLabels(["clahe", "zero-dce:checkpoints/Epoch99.pth", "zero-dce-pp"])
        #expect(labels["clahe"] == "clahe")
        #expect(labels["zero-dce:checkpoints/Epoch99.pth"] == "zero-dce (Epoch99.pth)")
        #expect(labels["zero-dce-pp"] == "zero-dce-pp")
        #expect(labels.repeated == nil)
    }

    @Test func filesOfOneNameTakeTheFoldersThatTellThemApart() {
        let methods = ["matting-unet:runs/x/pipeline/matting-unet.safetensors",
                       "matting-unet:runs/x/no-edge/matting-unet.safetensors",
                       "matting-unet:runs/plain.safetensors"]
        let labels = MethodLabels(methods)
        #expect(labels[methods[0]] == "matting-unet (pipeline/matting-unet.safetensors)")
        #expect(labels[methods[1]] == "matting-unet (no-edge/matting-unet.safetensors)")
        #expect(labels[methods[2]] == "matting-unet (plain.safetensors)")
        #expect(labels.repeated == nil)
    }

    @Test func theSameFileTwiceIsRepeated() {
        let labels = MethodLabels(["dncnn:runs/a/dncnn.safetensors", "dncnn:runs/./a/dncnn.safetensors"])
        #expect(labels.repeated != nil)
        #expect(MethodLabels(["clahe", "clahe"]).repeated == "clahe")
    }
}
