#!/usr/bin/env python3
"""Reference output of seed 002's denoising auto-encoder, for DenoisingAutoencoder's test.

Reads Lumen's own random weights (Tests/LumenTests/References/denoise-ae/weights.safetensors,
written by Lumen from DenoisingAutoencoder(using: SplitMix64(seed: 7))), loads them into the
seed's PyTorch module, and writes a seeded input (1, 3, 20, 24), its output and the output of
an odd-sized input (1, 3, 19, 22) padded by edge replication to (20, 24) and cropped back, as
float32 .npy files beside the weights.

    python3 -m venv /tmp/torch-venv
    /tmp/torch-venv/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl numpy safetensors
    /tmp/torch-venv/bin/python scripts/reference-denoise-ae.py
"""
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file

folder = Path(__file__).resolve().parent.parent / "Tests/LumenTests/References/denoise-ae"


class DenoisingAutoencoder(nn.Module):
    """The seed's module, layer for layer."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


torch.set_num_threads(1)
model = DenoisingAutoencoder()
weights = {key.replace(".layers.", "."): value for key, value in load_file(folder / "weights.safetensors").items()}
model.load_state_dict(weights, strict=True)
rng = np.random.default_rng(2)
image = rng.random((1, 3, 20, 24), dtype=np.float32)
odd = image[:, :, :19, :22].copy()
with torch.no_grad():
    output = model(torch.from_numpy(image)).numpy()
    padded = F.pad(torch.from_numpy(odd), (0, 2, 0, 1), mode="replicate")
    odd_output = model(padded)[:, :, :19, :22].numpy()
np.save(folder / "input_nchw.npy", image)
np.save(folder / "output_nchw.npy", output)
np.save(folder / "odd_output_nchw.npy", np.ascontiguousarray(odd_output))
print("wrote", ", ".join(sorted(p.name for p in folder.glob("*.npy"))))
