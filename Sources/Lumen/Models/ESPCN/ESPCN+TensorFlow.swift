import Foundation
import LumenIO
import LumenNN
import LumenTensor

extension ESPCN {
    /// The ops an OpenCV ESPCN graph is made of; any other node is refused by name.
    static let tensorFlowOps: Set<String> = ["Const", "Placeholder", "Conv2D", "Add", "BiasAdd", "Relu", "DepthToSpace", "Tanh",
                                             "Transpose", "Identity"]

    /// The Y-only ESPCN of a TensorFlow frozen graph, OpenCV's `ESPCN_x{2,3,4}.pb`:
    /// three `Conv2D` (stride 1, `SAME`, NHWC) each followed by a bias `Add`, ReLU
    /// after the first two, then `DepthToSpace` and `Tanh` (``Variant/luma``). Filters
    /// are HWIO and become OIHW. TensorFlow's `DepthToSpace` (DCR order) equals
    /// PyTorch's pixel shuffle (CRD) for one channel, the only case accepted.
    ///
    /// - Throws: ``TensorFlowGraphError`` naming the file and the node that does not fit.
    public static func importing(_ graph: TensorFlowGraph, source: String) throws(TensorFlowGraphError) -> ESPCN {
        func refuse(_ reason: String) -> TensorFlowGraphError { TensorFlowGraphError(file: source, reason: reason) }
        if let node = graph.nodes.first(where: { !tensorFlowOps.contains($0.op) }) {
            throw refuse("node \(node.name) is a \(node.op), which ESPCN graphs do not hold (expected \(tensorFlowOps.sorted().joined(separator: ", ")))")
        }
        /// The node that produces `input`, through any `Identity` nodes (a cycle of them is refused).
        func producer(_ input: String) throws(TensorFlowGraphError) -> TensorFlowGraph.Node {
            var input = input
            for _ in 0...graph.nodes.count {
                let name = input.split(separator: ":").first.map(String.init) ?? input
                guard let node = graph.node(named: name) else { throw refuse("node \(name) is read but not defined") }
                guard node.op == "Identity", let next = node.inputs.first else { return node }
                input = next
            }
            throw refuse("Identity nodes form a cycle through \(input)")
        }
        func constant(_ input: String, role: String) throws(TensorFlowGraphError) -> TensorFlowGraph.Constant {
            let node = try producer(input)
            guard node.op == "Const", case .tensor(let value)? = node.attributes["value"] else {
                throw refuse("\(role) \(node.name) is a \(node.op), not a constant")
            }
            return value
        }
        let convolutions = graph.nodes.filter { $0.op == "Conv2D" }
        guard convolutions.count == 3 else { throw refuse("\(convolutions.count) Conv2D nodes; ESPCN has 3") }
        var weights: [(filter: TensorFlowGraph.Constant, bias: TensorFlowGraph.Constant)] = []
        for convolution in convolutions {
            guard convolution.inputs.count == 2 else { throw refuse("node \(convolution.name) has \(convolution.inputs.count) inputs") }
            if case .ints(let strides)? = convolution.attributes["strides"], strides.contains(where: { $0 != 1 }) {
                throw refuse("node \(convolution.name) has strides \(strides); ESPCN's are 1")
            }
            if case .string(let padding)? = convolution.attributes["padding"], padding != "SAME" {
                throw refuse("node \(convolution.name) has \(padding) padding; ESPCN's is SAME")
            }
            if case .string(let format)? = convolution.attributes["data_format"], format != "NHWC" {
                throw refuse("node \(convolution.name) is \(format); ESPCN graphs are NHWC")
            }
            let filter = try constant(convolution.inputs[1], role: "the filter of \(convolution.name)")
            guard let add = graph.nodes.first(where: { ["Add", "BiasAdd"].contains($0.op) && $0.inputs.contains(convolution.name) }),
                  let biasInput = add.inputs.first(where: { $0 != convolution.name }) else {
                throw refuse("no bias Add follows node \(convolution.name)")
            }
            weights.append((filter, try constant(biasInput, role: "the bias of \(convolution.name)")))
        }
        guard let shuffle = graph.nodes.first(where: { $0.op == "DepthToSpace" }), case .int(let block)? = shuffle.attributes["block_size"],
              (1...8).contains(block) else {
            throw refuse("no DepthToSpace node with a block size of 1 to 8")
        }
        guard graph.nodes.filter({ $0.op == "Relu" }).count == 2, graph.nodes.contains(where: { $0.op == "Tanh" }) else {
            throw refuse("the activations are not ReLU, ReLU and a final Tanh, as in OpenCV's ESPCN")
        }
        var generator = SplitMix64(seed: 0)
        let model = ESPCN(scale: Int(block), variant: .luma, using: &generator)
        var state = StateDict()
        for (index, (filter, bias)) in weights.enumerated() {
            guard filter.shape.count == 4, bias.shape == [filter.shape[3]] else {
                throw refuse("conv\(index + 1): filter \(filter.shape) and bias \(bias.shape) are not HWIO and O")
            }
            let hwio = Tensor(shape: Shape(filter.shape), scalars: filter.values)
            state["conv\(index + 1).weight"] = hwio.permuted([3, 2, 0, 1])
            state["conv\(index + 1).bias"] = Tensor(shape: Shape(bias.shape), scalars: bias.values)
        }
        do { try model.load(state) } catch { throw refuse("does not fit ESPCN ×\(block): \(error.localizedDescription)") }
        return model
    }
}
