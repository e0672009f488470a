#!/usr/bin/python3
"""Regenerates the safetensors test files (stdlib only, byte-for-byte reproducible).

tests/data/safetensors/reference.safetensors  valid: every dtype, special float values
tests/data/safetensors/misaligned.safetensors valid: an F32 tensor at an odd offset
tests/data/safetensors/defect_*.safetensors   one defect each; the reader must refuse
tests/fuzz/safetensors/corpus/*               valid seeds for the libFuzzer target

The files are written by hand with struct + json (Debian has no python3-safetensors),
following the format: u64 little-endian header length, JSON header padded with spaces
to a multiple of 8 bytes, then the tensor bytes.

Usage: /usr/bin/python3 scripts/tests/make_safetensors_goldens.py
"""
import json
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data", "safetensors")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "safetensors", "corpus")


def image(header_text, data=b"", pad=True, length=None):
    """A file image from raw header text (so defects can break the JSON itself)."""
    raw = header_text.encode("utf-8") if isinstance(header_text, str) else header_text
    if pad:
        raw += b" " * (-len(raw) % 8)
    n = len(raw) if length is None else length
    return struct.pack("<Q", n) + raw + data


def header(entries, metadata=None):
    """entries: list of (name, dtype, shape, (begin, end)); order is kept."""
    h = {}
    if metadata is not None:
        h["__metadata__"] = metadata
    for name, dtype, shape, offsets in entries:
        h[name] = {"dtype": dtype, "shape": shape, "data_offsets": list(offsets)}
    return json.dumps(h, separators=(",", ":"))


def tensors_file(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, bytes) laid out contiguously in order."""
    entries, data = [], b""
    for name, dtype, shape, payload in tensors:
        entries.append((name, dtype, shape, (len(data), len(data) + len(payload))))
        data += payload
    return image(header(entries, metadata), data)


def u32(*bits):
    return struct.pack("<%dI" % len(bits), *bits)


def u16(*bits):
    return struct.pack("<%dH" % len(bits), *bits)


# Values the C++ test checks bit for bit (see tests/framework/nn/safetensors_test.cc).
REFERENCE = [
    # i64 first, then 4-, 2-, 1-byte types: every tensor aligned, as recur's writer does.
    ("i64", "I64", [3], struct.pack("<3q", -1, 2**62, -(2**63))),
    # 0.0, -0.0, 1.5, smallest subnormal, NaN with payload 0x12345, -inf
    ("f32", "F32", [2, 3], u32(0x00000000, 0x80000000, 0x3FC00000, 0x00000001, 0x7FC12345, 0xFF800000)),
    ("scalar", "F32", [], struct.pack("<f", 3.25)),
    ("empty", "F32", [0, 3], b""),
    ("i32", "I32", [2], struct.pack("<2i", -7, 2**31 - 1)),
    # 1.0, -0.0, smallest subnormal, NaN with payload
    ("f16", "F16", [4], u16(0x3C00, 0x8000, 0x0001, 0x7E01)),
    # 1.0, -2.0, smallest subnormal, NaN with payload
    ("bf16", "BF16", [2, 2], u16(0x3F80, 0xC000, 0x0001, 0x7FC1)),
    ("u8", "U8", [5], bytes([0, 1, 127, 128, 255])),
]
REFERENCE_METADATA = {"format": "pt", "producer": "make_safetensors_goldens.py"}

W16 = struct.pack("<4f", 1, 2, 3, 4)  # an F32 [2, 2] payload

DEFECTS = {
    "truncated": b"\x10\x00\x00\x00\x00",
    "huge_header_length": image("{}", length=2**40),
    "header_past_end": image("{}", length=1000),
    "not_json": image('{"w": {"dtype": F32}}'),
    "not_utf8": image(b'{"\xff\xfe": {}}'),
    "not_object": image("[1, 2]"),
    "deep_nesting": image('{"w":' + "[" * 20 + "]" * 20 + "}"),
    "overlapping_offsets": image(header([("a", "F32", [2], (0, 8)), ("b", "F32", [2], (4, 12))]), W16[:12]),
    "gap_between_offsets": image(header([("a", "F32", [1], (0, 4)), ("b", "F32", [1], (8, 12))]), W16[:12]),
    "gap_at_start": image(header([("a", "F32", [1], (4, 8))]), W16[:8]),
    "shape_overflow": image(header([("w", "F32", [2**62, 2**62], (0, 0))])),
    "bytes_overflow": image(header([("w", "F32", [2**62], (0, 0))])),
    "size_mismatch": image(header([("w", "F32", [2, 2], (0, 12))]), W16[:12]),
    "offsets_past_end": image(header([("w", "F32", [4], (0, 16))]), W16[:8]),
    "offsets_reversed": image(header([("w", "F32", [0], (8, 4))]), W16[:8]),
    "trailing_bytes": image(header([("w", "F32", [2, 2], (0, 16))]), W16 + b"\0\0\0\0"),
    "duplicate_name": image('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                            '"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', W16[:4]),
    "duplicate_key": image('{"w":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}', W16[:4]),
    "unknown_dtype": image(header([("w", "Q7", [1], (0, 4))]), W16[:4]),
    "unsupported_dtype": image(header([("w", "F64", [1], (0, 8))]), W16[:8]),
    "negative_shape": image(header([("w", "F32", [-2, 2], (0, 16))]), W16),
    "fractional_shape": image(header([("w", "F32", [2.5], (0, 8))]), W16[:8]),
    "missing_field": image('{"w":{"dtype":"F32","shape":[1]}}', W16[:4]),
    "extra_field": image('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', W16[:4]),
    "entry_not_object": image('{"w":[1]}'),
    "bad_metadata": image(header([("w", "F32", [1], (0, 4))], metadata={"epoch": 3}), W16[:4]),
    "metadata_not_object": image('{"__metadata__":"v1"}'),
}

CORPUS_FILES = {
    "reference": tensors_file(REFERENCE, REFERENCE_METADATA),
    "empty_header": image("{}"),
    "metadata_only": image(header([], metadata={"k": "v"})),
    "two_f32": tensors_file([("a.weight", "F32", [2, 2], W16), ("a.bias", "F32", [2], W16[:8])]),
}


def write(directory, name, payload):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(payload)


def main():
    write(DATA, "reference.safetensors", CORPUS_FILES["reference"])
    # A 3-byte U8 tensor first puts the F32 tensor at offset 3: valid, but unaligned.
    write(DATA, "misaligned.safetensors",
          tensors_file([("u8", "U8", [3], bytes([1, 2, 3])), ("f32", "F32", [2], struct.pack("<2f", 0.5, -8))]))
    for name, payload in DEFECTS.items():
        write(DATA, "defect_%s.safetensors" % name, payload)
    for name, payload in CORPUS_FILES.items():
        write(CORPUS, name + ".safetensors", payload)


if __name__ == "__main__":
    main()
