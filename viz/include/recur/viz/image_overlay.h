// An image with an attention grid over it: the GH x GW weights upsampled bilinearly to
// the displayed image and blended over it in viridis colours.
#pragma once

#include <cairo.h>

#include <filesystem>
#include <memory>
#include <vector>

namespace recur::viz {

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

// The image at `path` (any format OpenCV reads) as a Cairo RGB surface, scaled so that its
// longer side is `longer_side` pixels. Errors name the file.
SurfacePtr load_image(const std::filesystem::path& path, int longer_side);

// `image` with `weights` (grid_h * grid_w, row-major) upsampled bilinearly to its size and
// blended over it, more opaque where the weight is higher (from `min_alpha` at 0 to
// `max_alpha` at the maximum) so the image shows where the model did not look; weights are
// scaled by their maximum so every panel uses the whole colour map.
SurfacePtr overlay_attention(cairo_surface_t* image, const std::vector<float>& weights, int grid_h,
                             int grid_w, double min_alpha = 0.25, double max_alpha = 0.8);

}  // namespace recur::viz
