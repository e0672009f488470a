#!/usr/bin/python3
"""The captioning peer's copy of cv::resize's weights (image_prep.py): every output pixel's
weights sum to 1, integer shrinking is a plain box average, fractional INTER_AREA cells
weigh the pixels they cover, and the steps after decoding follow recur's order.

  /usr/bin/python3 -m unittest discover -s bench/peer
"""

import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_prep  # noqa: E402


class ResizeMatrixTest(unittest.TestCase):
    def test_rows_sum_to_one(self):
        for src, dst in ((64, 12), (64, 20), (64, 64), (72, 64), (12, 64), (5, 7)):
            for area in (True, False):
                m = image_prep.resize_matrix(src, dst, area and src >= dst, True)
                np.testing.assert_allclose(m.sum(axis=1), 1, rtol=1e-6, err_msg=f"{src}->{dst}")

    def test_integer_shrink_is_a_box_average(self):
        x = torch.rand(3, 64, 64)
        rows = torch.from_numpy(image_prep.resize_matrix(64, 16, True, True))
        cols = torch.from_numpy(image_prep.resize_matrix(64, 32, True, True))
        expected = torch.nn.functional.avg_pool2d(x[None], (4, 2))[0]
        torch.testing.assert_close(rows @ x @ cols.T, expected)

    def test_fractional_area_cells(self):
        # 5 -> 2: cells [0, 2.5) and [2.5, 5): pixel 2 is split half and half.
        m = image_prep.resize_matrix(5, 2, True, True)
        np.testing.assert_allclose(m, [[0.4, 0.4, 0.2, 0, 0], [0, 0, 0.2, 0.4, 0.4]], rtol=1e-6)

    def test_composite_then_normalise(self):
        s = image_prep.ImageSettings({"plugin": "opencv", "size": [1, 1], "background": [255, 0, 0]})
        rgba = np.array([[[0, 0, 255, 0]]], dtype=np.float32)  # fully transparent blue
        rgb = image_prep.composite(rgba, s.background)
        np.testing.assert_array_equal(rgb, [[[255, 0, 0]]])
        chw = torch.from_numpy(rgb.transpose(2, 0, 1).copy())
        out = chw * torch.tensor(s.scale).view(-1, 1, 1) - torch.tensor(s.shift).view(-1, 1, 1)
        torch.testing.assert_close(out.flatten(), torch.tensor([1.0, -1.0, -1.0]))


if __name__ == "__main__":
    unittest.main()
