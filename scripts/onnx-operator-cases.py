#!/usr/bin/env python3
"""Writes the per-operator conformance cases of Lumen's ONNX import and ONNX Runtime's answers.

    .build/conformance-venv/bin/python scripts/onnx-operator-cases.py OUT_DIR

For each case, a one- or few-node graph with one float input `input` (the other operands
are initializers) is built with onnx.helper, checked with onnx.checker, and run in ONNX
Runtime on seeded random input. Writes OUT_DIR/NAME.onnx, NAME.input.f32 and
NAME.expected.f32 (int32 rank, int32 dims, then little-endian float32 values), and
OUT_DIR/cases.txt with one case name per line. Tests/LumenDeployTests/ONNXOperatorTests.swift
runs each graph in Lumen and compares. The cases cover the attribute corner cases:
Conv groups, dilations, strides and asymmetric or automatic pads, ConvTranspose output
padding, every Resize coordinate convention and nearest rounding, DepthToSpace modes.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)
SHAPE = [1, 3, 8, 10]


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def weights(*shape):
    return rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)


CASES = []


def case(name, nodes, initializers=(), shape=SHAPE, opset=17, positive=False):
    CASES.append((name, nodes, list(initializers), shape, opset, positive))


def node(op, inputs, output="output", **attributes):
    return helper.make_node(op, inputs, [output], **attributes)


# Convolutions: groups, depthwise, dilation and stride, asymmetric and automatic pads.
case("conv", [node("Conv", ["input", "w", "b"], pads=[1, 1, 1, 1])], [const("w", weights(5, 3, 3, 3)), const("b", weights(5))])
case("conv_groups", [node("Conv", ["input", "w"], group=2, pads=[1, 0, 1, 0], kernel_shape=[3, 1])],
     [const("w", weights(6, 2, 3, 1))], shape=[1, 4, 8, 10])
case("conv_depthwise", [node("Conv", ["input", "w", "b"], group=4, pads=[2, 2, 2, 2])],
     [const("w", weights(4, 1, 5, 5)), const("b", weights(4))], shape=[1, 4, 8, 10])
case("conv_dilation_stride", [node("Conv", ["input", "w"], dilations=[2, 1], strides=[2, 3], pads=[2, 1, 2, 1])],
     [const("w", weights(4, 3, 3, 3))])
case("conv_asymmetric_pads", [node("Conv", ["input", "w"], pads=[0, 1, 2, 0])], [const("w", weights(2, 3, 3, 3))])
case("conv_same_upper", [node("Conv", ["input", "w"], auto_pad="SAME_UPPER", strides=[2, 2])], [const("w", weights(2, 3, 4, 4))])
case("conv_same_lower", [node("Conv", ["input", "w"], auto_pad="SAME_LOWER", strides=[2, 2])], [const("w", weights(2, 3, 4, 4))])
case("conv_transpose", [node("ConvTranspose", ["input", "w", "b"], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1])],
     [const("w", weights(3, 4, 3, 3)), const("b", weights(4))])
case("conv_transpose_groups_asymmetric", [node("ConvTranspose", ["input", "w"], group=2, strides=[2, 1], pads=[0, 1, 1, 0], dilations=[1, 2])],
     [const("w", weights(4, 3, 3, 3))], shape=[1, 4, 8, 10])

case("max_pool", [node("MaxPool", ["input"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])])
case("average_pool", [node("AveragePool", ["input"], kernel_shape=[2, 2], strides=[2, 2])])

# Element-wise operators with broadcasting.
case("relu", [node("Relu", ["input"])])
case("leaky_relu", [node("LeakyRelu", ["input"], alpha=0.2)])
case("sigmoid", [node("Sigmoid", ["input"])])
case("tanh", [node("Tanh", ["input"])])
case("sqrt", [node("Sqrt", ["input"])], positive=True)
case("exp", [node("Exp", ["input"])])
case("pow", [node("Pow", ["input", "e"])], [const("e", np.array([[[0.5]], [[2.0]], [[3.0]]], dtype=np.float32))], positive=True)
case("add", [node("Add", ["input", "c"])], [const("c", weights(3, 1, 1))])
case("sub", [node("Sub", ["c", "input"])], [const("c", weights(10))])
case("mul", [node("Mul", ["input", "c"])], [const("c", weights(1, 3, 8, 1))])
case("div", [node("Div", ["input", "c"])], [const("c", rng.uniform(0.5, 1.5, size=(3, 1, 10)).astype(np.float32))])
case("clip", [node("Clip", ["input", "lo", "hi"])], [const("lo", np.float32(-0.2)), const("hi", np.float32(0.3))])
case("clip_max_only", [node("Clip", ["input", "", "hi"])], [const("hi", np.float32(0.1))])
case("batch_normalization", [node("BatchNormalization", ["input", "s", "b", "m", "v"], epsilon=1e-3)],
     [const("s", weights(3)), const("b", weights(3)), const("m", weights(3)), const("v", rng.uniform(0.1, 2, 3).astype(np.float32))])
case("instance_normalization", [node("InstanceNormalization", ["input", "s", "b"])], [const("s", weights(3)), const("b", weights(3))])
case("reduce_mean", [node("ReduceMean", ["input"], axes=[2, 3], keepdims=1)], opset=13)
case("reduce_mean_axes_input", [node("ReduceMean", ["input", "axes"], keepdims=0)], [const("axes", np.array([1, -1], dtype=np.int64))], opset=18)
case("global_average_pool", [node("GlobalAveragePool", ["input"])])
case("matmul", [node("MatMul", ["input", "m"])], [const("m", weights(10, 4))])
case("softmax", [node("Softmax", ["input"], axis=1)])
case("softmax_opset11", [node("Softmax", ["input"], axis=2)], opset=11)

# Layout operators.
case("concat", [node("Relu", ["input"], "r"), node("Concat", ["input", "r", "c"], axis=1)], [const("c", weights(1, 2, 8, 10))])
case("split", [helper.make_node("Split", ["input", "sizes"], ["a", "b"], axis=1), node("Mul", ["a", "b"])],
     [const("sizes", np.array([2, 1], dtype=np.int64))])
case("split_num_outputs", [helper.make_node("Split", ["input"], ["a", "b"], axis=3, num_outputs=2), node("Sub", ["a", "b"])], opset=18)
case("slice", [node("Slice", ["input", "starts", "ends", "axes"])],
     [const("starts", np.array([1, -7], dtype=np.int64)), const("ends", np.array([100, -1], dtype=np.int64)), const("axes", np.array([2, 3], dtype=np.int64))])
case("reshape", [node("Reshape", ["input", "shape"])], [const("shape", np.array([0, -1, 10], dtype=np.int64))])
case("transpose", [node("Transpose", ["input"], perm=[0, 2, 3, 1])])
case("constant_identity", [helper.make_node("Constant", [], ["k"], value=const("k", weights(3, 1, 1))),
                           node("Add", ["input", "k"], "sum"), node("Identity", ["sum"])])
case("depth_to_space_dcr", [node("DepthToSpace", ["input"], blocksize=2)], shape=[1, 12, 4, 5])
case("depth_to_space_crd", [node("DepthToSpace", ["input"], blocksize=2, mode="CRD")], shape=[1, 12, 4, 5])
case("pad_constant", [node("Pad", ["input", "pads", "value"])],
     [const("pads", np.array([0, 0, 1, 2, 0, 0, 3, 0], dtype=np.int64)), const("value", np.float32(0.5))])
case("pad_reflect", [node("Pad", ["input", "pads"], mode="reflect")], [const("pads", np.array([0, 0, 2, 1, 0, 0, 1, 3], dtype=np.int64))])
case("pad_edge_axes", [node("Pad", ["input", "pads", "", "axes"], mode="edge")],
     [const("pads", np.array([2, 0, 1, 4], dtype=np.int64)), const("axes", np.array([2, 3], dtype=np.int64))], opset=18)


# Resize: every coordinate convention, both modes, by scales and by sizes.
def resize(name, scales=None, sizes=None, opset=17, **attributes):
    inputs = ["input", "", "scales" if scales is not None else ""] + (["sizes"] if sizes is not None else [])
    consts = ([const("scales", np.array(scales, dtype=np.float32))] if scales is not None else []) + \
             ([const("sizes", np.array(sizes, dtype=np.int64))] if sizes is not None else [])
    case(name, [node("Resize", inputs, **attributes)], consts, opset=opset)


resize("resize_linear_half_pixel_down", scales=[1, 1, 0.5, 0.25], mode="linear")
resize("resize_linear_half_pixel_up", scales=[1, 1, 2.5, 1.5], mode="linear")
resize("resize_linear_align_corners", sizes=[1, 3, 13, 17], mode="linear", coordinate_transformation_mode="align_corners")
resize("resize_linear_asymmetric", scales=[1, 1, 2, 3], mode="linear", coordinate_transformation_mode="asymmetric")
resize("resize_linear_pytorch_half_pixel", sizes=[1, 3, 1, 7], mode="linear", coordinate_transformation_mode="pytorch_half_pixel")
resize("resize_linear_half_pixel_symmetric", scales=[1, 1, 1.7, 0.6], mode="linear",
       coordinate_transformation_mode="half_pixel_symmetric", opset=19)
resize("resize_nearest_asymmetric_floor", scales=[1, 1, 3, 2], coordinate_transformation_mode="asymmetric", nearest_mode="floor")
resize("resize_nearest_half_pixel", scales=[1, 1, 1.5, 0.6])
resize("resize_nearest_round_prefer_ceil", scales=[1, 1, 1.5, 2.5], nearest_mode="round_prefer_ceil")
resize("resize_nearest_ceil_align_corners", sizes=[1, 3, 5, 23], coordinate_transformation_mode="align_corners", nearest_mode="ceil")


def write(path, array):
    with open(path, "wb") as out:
        out.write(np.array([array.ndim] + list(array.shape), dtype="<i4").tobytes())
        out.write(np.ascontiguousarray(array, dtype="<f4").tobytes())


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for name, nodes, initializers, shape, opset, positive in CASES:
        x = rng.uniform(0 if positive else -1, 1, size=shape).astype(np.float32)
        def build(output_shape):
            graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
                                      [helper.make_tensor_value_info("output", TensorProto.FLOAT, output_shape)], initializers)
            model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
            model.ir_version = 8 if opset <= 17 else 9
            return model
        path = os.path.join(out_dir, name + ".onnx")
        # Run once to learn the output's shape, then declare it and check the graph.
        probe = onnxruntime.InferenceSession(build(None).SerializeToString(), providers=["CPUExecutionProvider"])
        y = probe.run(["output"], {"input": x})[0]
        model = build(list(y.shape))
        onnx.checker.check_model(model, full_check=True)
        onnx.save(model, path)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        assert np.array_equal(session.run(["output"], {"input": x})[0], y)
        write(os.path.join(out_dir, name + ".input.f32"), x)
        write(os.path.join(out_dir, name + ".expected.f32"), y)
        names.append(name)
    with open(os.path.join(out_dir, "cases.txt"), "w") as out:
        out.write("\n".join(names) + "\n")
    print(f"onnxruntime {onnxruntime.__version__}: {len(names)} operator cases in {out_dir}")


if __name__ == "__main__":
    main()
