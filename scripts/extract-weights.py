#!/usr/bin/env python3
"""The inverse of embed-weights.py: writes a bundled weights file back out as safetensors.

    python3 scripts/extract-weights.py Sources/Lumen/BundledWeights/MattingUNet+Bundled.swift runs/plain.safetensors

checks the bytes against the SHA-256 the generated source records, so that a bundled
model can be fine-tuned (`lumen train ... --init`) or compared as a file.
"""
import hashlib
import pathlib
import re
import sys

source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = source.read_text()
digest = re.search(r"SHA-256 ([0-9a-f]{64})", text).group(1)
data = bytes.fromhex("".join(text.split('"""')[1].split()))
if hashlib.sha256(data).hexdigest() != digest:
    sys.exit(f"{source}: the embedded bytes do not match their recorded SHA-256")
target.parent.mkdir(parents=True, exist_ok=True)
target.write_bytes(data)
print(f"{source} -> {target} ({len(data)} bytes)")
