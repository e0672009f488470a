"""The opencv preprocessor's steps (plugins/opencv/opencv_preprocessor.cc) for the PyTorch
captioning peer: PNG decoded by Pillow (python3-pil; lossless, so the same samples as
OpenCV's decoder), then in float32, in recur's order: alpha composited onto the
background, RGB or grey, resized with OpenCV's INTER_AREA (or INTER_LINEAR) weights,
(x/255 - mean) / std, CHW.

The resize is OpenCV's, not torch's: INTER_AREA averages the source pixels each output
pixel covers, with fractional weights at the cell edges (cv::resize's computeResizeAreaTab)
when both axes shrink, and bilinear weights with OpenCV's area offsets when one grows.
torch's adaptive_avg_pool2d / interpolate(mode="area") use whole-pixel bins and differ
for non-integer scales. The weights become two small matrices, applied as two matmuls.
"""

import math

import numpy as np
import torch
from PIL import Image


class ImageSettings:
    """The `source.preprocessor` section of a captioning pipeline (opencv plugin)."""

    def __init__(self, section):
        if section.get("plugin") != "opencv":
            raise ValueError(f"the peer reproduces the opencv preprocessor only, not {section}")
        size = section.get("size", 128)
        self.height, self.width = (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))
        self.channels = int(section.get("channels", 3))
        self.interpolation = section.get("interpolation", "area")
        if self.interpolation not in ("area", "linear"):
            raise ValueError(f"the peer reproduces interpolation area and linear, not {self.interpolation}")
        mean = [float(v) for v in section.get("mean", [0.5])]
        std = [float(v) for v in section.get("std", [0.5])]
        # (x / 255 - mean) / std as recur computes it: x * scale - shift in float32.
        f = np.float32
        self.scale = [f(1) / (f(255) * f(std[c if len(std) > 1 else 0])) for c in range(self.channels)]
        self.shift = [f(mean[c if len(mean) > 1 else 0]) / f(std[c if len(std) > 1 else 0])
                      for c in range(self.channels)]
        self.background = [int(v) for v in section.get("background", [255, 255, 255])]
        self._tables = {}

    def tables(self, src_h, src_w):
        key = (src_h, src_w)
        if key not in self._tables:
            area = self.interpolation == "area" and src_h >= self.height and src_w >= self.width
            self._tables[key] = (resize_matrix(src_h, self.height, area, self.interpolation == "area"),
                                 resize_matrix(src_w, self.width, area, self.interpolation == "area"))
        return self._tables[key]


def resize_matrix(src, dst, area, area_offsets):
    """[dst, src] float32 weights of one axis of cv::resize."""
    m = np.zeros((dst, src), dtype=np.float32)
    scale = src / dst
    if src == dst:
        np.fill_diagonal(m, 1)
    elif area:  # computeResizeAreaTab
        for d in range(dst):
            fs1 = d * scale
            fs2 = fs1 + scale
            s1, s2 = math.ceil(fs1), math.floor(fs2)
            s2 = min(s2, src - 1)
            s1 = min(s1, s2)
            cell = min(scale, src - fs1)
            if s1 - fs1 > 1e-3:
                m[d, s1 - 1] = (s1 - fs1) / cell
            for s in range(s1, s2):
                m[d, s] = 1 / cell
            if fs2 - s2 > 1e-3:
                m[d, s2] = min(min(fs2 - s2, 1.0), cell) / cell
    else:  # bilinear (cv::resize's linear path; INTER_AREA growing uses area offsets)
        inv = dst / src
        for d in range(dst):
            if area_offsets:
                s = math.floor(d * scale)
                f = np.float32((d + 1) - (s + 1) * inv)
                f = np.float32(0) if f <= 0 else f - np.float32(math.floor(f))
            else:
                fx = np.float32((d + 0.5) * scale - 0.5)
                s = math.floor(fx)
                f = fx - np.float32(s)
            if s < 0:
                s, f = 0, np.float32(0)
            if s >= src - 1:
                s, f = src - 1, np.float32(0)
            m[d, s] += np.float32(1) - f
            m[d, min(s + 1, src - 1)] += f
    return m


def decode_png(path):
    """HWC uint8 samples in RGB(A) or grey(+alpha) order, as OpenCV's IMREAD_UNCHANGED
    keeps them (but RGB, not BGR). Palette images become RGB, or RGBA with a tRNS chunk;
    grey+alpha becomes RGBA, as OpenCV's PNG decoder does."""
    with Image.open(path) as im:
        if im.mode == "P":
            im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        elif im.mode == "LA":
            im = im.convert("RGBA")
        elif im.mode not in ("L", "RGB", "RGBA"):
            raise ValueError(f"{path}: image mode {im.mode} is not reproduced by the peer")
        a = np.asarray(im)
    return a[:, :, None] if a.ndim == 2 else a


def composite(x, background):
    """RGBA float 0..255 -> RGB over the background; RGB and grey unchanged."""
    if x.shape[2] != 4:
        return x
    alpha = x[:, :, 3:] * np.float32(1.0 / 255.0)
    rest = np.float32(1) - alpha
    return x[:, :, :3] * alpha + rest * np.asarray(background, dtype=np.float32)


def to_channels(x, channels):
    if channels == 1 and x.shape[2] == 3:  # cv::COLOR_BGR2GRAY
        w = np.asarray([0.299, 0.587, 0.114], dtype=np.float32)
        return (x * w).sum(axis=2, keepdims=True, dtype=np.float32)
    if channels == 3 and x.shape[2] == 1:
        return np.repeat(x, 3, axis=2)
    return x


def load(path, s: ImageSettings):
    """A normalised CHW float32 torch tensor of the image at `path`."""
    x = to_channels(composite(decode_png(path).astype(np.float32), s.background), s.channels)
    chw = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))
    h, w = chw.shape[1:]
    if (h, w) != (s.height, s.width):
        rows, cols = s.tables(h, w)
        chw = torch.from_numpy(rows) @ (chw @ torch.from_numpy(cols).T)
    scale = torch.tensor(s.scale).view(-1, 1, 1)
    shift = torch.tensor(s.shift).view(-1, 1, 1)
    return chw * scale - shift
