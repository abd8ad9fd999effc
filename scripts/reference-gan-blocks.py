#!/usr/bin/env python3
"""PyTorch reference for Lumen's SpectralNorm and SelfAttention (GANBlockConformanceTests).

Reads Lumen's own random weights (Tests/LumenTests/References/gan-blocks/weights.safetensors,
written by the test with LUMEN_WRITE_REFERENCE_WEIGHTS=1 from its seeded modules), loads
them into torch.nn.utils.spectral_norm-wrapped Conv2d / ConvTranspose2d and into the
reference SAGAN block, and writes float32 .npy files beside them:

- per spectral-norm layer: a seeded input, the outputs of two training forward passes (one
  power iteration each), the gradients of a seeded projection of the second with respect to
  the input, weight_orig and bias, u and v after the two passes, and an evaluation pass;
- for self-attention: the output and the gradients of the input and of every parameter;
- pytorch_state_after.safetensors: the spectral-norm layers' state_dict with PyTorch's keys.

    bash scripts/setup-peers.sh
    ~/.cache/lumen-peers/venv-torch/bin/python scripts/reference-gan-blocks.py
"""
import json
import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

def load_file(path):
    """float32 tensors of a safetensors file (the format is small enough to read here)."""
    data = Path(path).read_bytes()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    return {key: np.frombuffer(body[entry["data_offsets"][0]:entry["data_offsets"][1]], dtype="<f4").reshape(entry["shape"])
            for key, entry in header.items() if key != "__metadata__" and entry["dtype"] == "F32"}


def save_file(tensors, path):
    """float32 tensors as a safetensors file, keys sorted."""
    header, chunks, offset = {}, [], 0
    for key in sorted(tensors):
        raw = tensors[key].numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensors[key].shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


folder = Path(__file__).resolve().parent.parent / "Tests/LumenTests/References/gan-blocks"
torch.set_num_threads(1)
weights = {key: torch.from_numpy(value.copy()) for key, value in load_file(folder / "weights.safetensors").items()}
rng = np.random.default_rng(5)


def save(name, tensor):
    np.save(folder / f"{name}.npy", np.ascontiguousarray(tensor.detach().numpy().astype(np.float32)))


def seeded(shape):
    return torch.from_numpy(rng.uniform(-1, 1, shape).astype(np.float32))


def spectral_layer(name, layer, input_shape):
    layer = nn.utils.spectral_norm(layer, eps=1e-12)
    with torch.no_grad():
        layer.weight_orig.copy_(weights[f"{name}.layer.weight"])
        layer.bias.copy_(weights[f"{name}.layer.bias"])
        layer.weight_u.copy_(weights[f"{name}.u"])
        layer.weight_v.copy_(weights[f"{name}.v"])
    x = seeded(input_shape).requires_grad_(True)
    layer.train()
    save(f"{name}_input", x)
    save(f"{name}_output_1", layer(x))
    second = layer(x)
    save(f"{name}_output_2", second)
    projection = seeded(second.shape)
    save(f"{name}_projection", projection)
    (second * projection).sum().backward()
    save(f"{name}_input_gradient", x.grad)
    save(f"{name}_weight_orig_gradient", layer.weight_orig.grad)
    save(f"{name}_bias_gradient", layer.bias.grad)
    save(f"{name}_u", layer.weight_u)
    save(f"{name}_v", layer.weight_v)
    layer.eval()
    with torch.no_grad():
        save(f"{name}_output_eval", layer(x))
    return {f"{name}.{key}": value.detach().clone().contiguous() for key, value in layer.state_dict().items()}


class SelfAttention(nn.Module):
    """SAGAN's block (Zhang et al. 2019), named as Lumen names it."""

    def __init__(self, channels):
        super().__init__()
        self.query = nn.Conv2d(channels, channels // 8, 1)
        self.key = nn.Conv2d(channels, channels // 8, 1)
        self.value = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        n, c, h, w = x.shape
        queries = self.query(x).view(n, -1, h * w).permute(0, 2, 1)
        keys = self.key(x).view(n, -1, h * w)
        attention = torch.softmax(torch.bmm(queries, keys), dim=-1)
        values = self.value(x).view(n, -1, h * w)
        return self.gamma * torch.bmm(values, attention.permute(0, 2, 1)).view(n, c, h, w) + x


state = {}
state.update(spectral_layer("convolution", nn.Conv2d(4, 6, 3, stride=2, padding=1), (2, 4, 9, 8)))
state.update(spectral_layer("transposed", nn.ConvTranspose2d(6, 4, 4, stride=2, padding=1), (2, 6, 5, 4)))
save_file(state, str(folder / "pytorch_state_after.safetensors"))

attention = SelfAttention(16)
attention.load_state_dict({key[len("attention."):]: value for key, value in weights.items() if key.startswith("attention.")})
x = seeded((2, 16, 5, 6)).requires_grad_(True)
save("attention_input", x)
output = attention(x)
save("attention_output", output)
projection = seeded(output.shape)
save("attention_projection", projection)
(output * projection).sum().backward()
save("attention_input_gradient", x.grad)
for key, parameter in attention.named_parameters():
    save(f"attention_{key.replace('.', '_')}_gradient", parameter.grad)
print("wrote", ", ".join(sorted(p.name for p in folder.iterdir())))
