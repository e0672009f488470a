// The training losses of a forecaster over outputs [B, horizon, Q] and targets [B, horizon]
// (both in scaled units), each the mean over all B * horizon (* Q) terms:
//   mse       (y - f)^2
//   mae       |y - f|
//   quantile  pinball: for level q and e = y - f_q, q e if e >= 0 else (q - 1) e
//             (= q relu(e) + (1 - q) relu(-e)), averaged over the Q levels too
#pragma once

#include <vector>

#include "forecast_settings.h"
#include "recur/core/tensor.h"

namespace recur::tasks {

// A scalar; gradients flow to `outputs`. ShapeError if the shapes disagree.
Tensor forecast_loss(ForecastLoss loss, const Tensor& outputs, const Tensor& targets,
                     const std::vector<float>& quantiles = {});

}  // namespace recur::tasks
