"""A small safetensors reader and writer on numpy arrays (no dependency but numpy).

Format: an 8-byte little-endian header length N, N bytes of JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the data section; offsets are relative to its start. The writer pads the header
with spaces so the data section starts 8-byte aligned (as recur's writer does).
"""

import json
import struct

import numpy as np

_DTYPES = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "U8": np.dtype("u1"),
}
_NAMES = {dt.newbyteorder("="): name for name, dt in _DTYPES.items()}


def _bf16_to_f32(raw):
    bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
    return bits.view(np.float32)


def write(path, tensors, metadata=None):
    """Writes `tensors` (dict or list of (name, array); arrays of a dtype in _DTYPES) in
    the given order, with string metadata."""
    items = list(tensors.items()) if isinstance(tensors, dict) else list(tensors)
    header = {"__metadata__": {str(k): str(v) for k, v in (metadata or {}).items()}}
    blobs, offset = [], 0
    for name, a in items:
        a = np.ascontiguousarray(a)
        dtype = a.dtype.newbyteorder("=")
        if dtype not in _NAMES:
            raise ValueError(f"safetensors: tensor '{name}' has unsupported dtype {a.dtype}")
        if name in header:
            raise ValueError(f"safetensors: duplicate tensor name '{name}'")
        raw = a.astype(_DTYPES[_NAMES[dtype]], copy=False).tobytes()
        header[name] = {"dtype": _NAMES[dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read(path):
    """Returns ({name: numpy array in native byte order}, metadata) in file order. BF16
    tensors come back as float32. Any defect raises ValueError naming the file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} exceeds the file")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: bad JSON header: {e}") from None
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        shape = tuple(int(d) for d in info["shape"])
        if not 0 <= begin <= end <= len(body):
            raise ValueError(f"{path}: tensor '{name}' offsets {begin}..{end} outside the data")
        raw = body[begin:end]
        if info["dtype"] == "BF16":
            a = _bf16_to_f32(raw)
        elif info["dtype"] in _DTYPES:
            a = np.frombuffer(raw, dtype=_DTYPES[info["dtype"]])
        else:
            raise ValueError(f"{path}: tensor '{name}' has unsupported dtype {info['dtype']}")
        if a.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor '{name}' holds {a.size} values for shape {list(shape)}")
        tensors[name] = a.reshape(shape).astype(a.dtype.newbyteorder("="))
    return tensors, metadata
