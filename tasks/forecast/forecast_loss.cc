#include "forecast_loss.h"

#include "recur/core/error.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"

namespace recur::tasks {

Tensor forecast_loss(ForecastLoss loss, const Tensor& outputs, const Tensor& targets,
                     const std::vector<float>& quantiles) {
  const std::int64_t q = loss == ForecastLoss::quantile ? static_cast<std::int64_t>(quantiles.size()) : 1;
  if (outputs.rank() != 3 || targets.rank() != 2 || outputs.dim(0) != targets.dim(0) ||
      outputs.dim(1) != targets.dim(1) || outputs.dim(2) != q) {
    throw ShapeError("forecast loss: outputs " + shape_str(outputs.shape()) + " do not fit targets " +
                     shape_str(targets.shape()) + " with " + std::to_string(q) + " outputs per step");
  }
  const Tensor e = ops::sub(ops::unsqueeze(targets, 2), outputs);  // [B, H, Q]
  switch (loss) {
    case ForecastLoss::mse:
      return ops::mean(ops::mul(e, e));
    case ForecastLoss::mae:
      return ops::mean(ops::add(ops::relu(e), ops::relu(ops::scale(e, -1.0f))));
    case ForecastLoss::quantile: {
      std::vector<float> rest;
      for (float level : quantiles) rest.push_back(1.0f - level);
      const Tensor over = ops::mul(ops::relu(e), Tensor::from({q}, quantiles));
      const Tensor under = ops::mul(ops::relu(ops::scale(e, -1.0f)), Tensor::from({q}, rest));
      return ops::mean(ops::add(over, under));
    }
  }
  throw Error("forecast loss: unknown loss");
}

}  // namespace recur::tasks
