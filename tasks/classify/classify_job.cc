#include "classify_job.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "recur/core/logging.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"

namespace recur::tasks {

std::size_t best_class(std::span<const float> p) {
  return static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
}

ClassifyJob::ClassifyJob(Pipeline& pipeline, ClassifierHead& head, std::vector<std::string> labels,
                         const JobRequest& request)
    : TextJob(pipeline, request), head_(head), labels_(std::move(labels)) {
  if (request.side_output) throw Error("--attention: the classification task writes no attention file");
  if (request.confidence_top_k > 0) {
    throw Error("--confidence: the classification task generates no tokens "
                "(its --json output has the label's probability)");
  }
  if (request.scores) throw Error("--scores: the classification task always writes the label's probability");
}

void ClassifyJob::run(const std::vector<std::size_t>& positions) {
  autograd::NoGradGuard no_grad;
  Memory memory = pipeline_.encoder().encode(source_batch(positions));
  Tensor p = ops::softmax(head_.forward(memory), -1);
  const std::int64_t c = p.dim(1);
  for (std::size_t r = 0; r < positions.size(); ++r) {
    const float* row = p.data<float>() + static_cast<std::int64_t>(r) * c;
    items_[positions[r]].probabilities.assign(row, row + c);
  }
}

void ClassifyJob::write(std::size_t position, const JobSinks& sinks) {
  const ClassifyItem& item = items_[position];
  std::ostream& out = *sinks.main;
  if (item.probabilities.empty()) {  // a blank line (counted by prepare)
    out << (request_.json ? "{}" : "") << '\n';
    return;
  }
  const std::size_t best = best_class(item.probabilities);
  if (!std::isfinite(item.probabilities[best])) {
    counts().add("non-finite score");
    log().warn("{}:{}: the model's probabilities are not finite (NaN or Inf weights or activations); the label is unreliable",
               input_, item.line);
  }
  if (request_.json) {
    write_json(item, best, out);
  } else {
    out << labels_[best] << '\t' << item.probabilities[best] << '\n';
  }
}

void ClassifyJob::write_json(const ClassifyItem& item, std::size_t best, std::ostream& out) const {
  nlohmann::ordered_json j;
  j["label"] = labels_[best];
  j["probability"] = item.probabilities[best];
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < labels_.size(); ++k) all[labels_[k]] = item.probabilities[k];
  j["probabilities"] = std::move(all);
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace recur::tasks
