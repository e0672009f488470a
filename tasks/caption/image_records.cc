#include "image_records.h"

#include <cmath>
#include <cstring>

#include "recur/core/error.h"

namespace recur::tasks {

ImageRecord image_record(const data::Line& line, const std::filesystem::path& base_dir) {
  ImageRecord r;
  r.line = line.number;
  const std::string& text = line.text;
  std::size_t end = text.find('\t');
  if (end == std::string::npos) end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\r')) --end;
  r.path = text.substr(0, end);
  if (r.path.empty()) {
    r.error = "empty line";
    return r;
  }
  if (r.path.find('\0') != std::string::npos) {
    r.error = "NUL byte in the path";
    return r;
  }
  std::filesystem::path p(r.path);
  r.file = p.is_absolute() || base_dir.empty() ? p : base_dir / p;
  return r;
}

ImageBatch load_images(const Preprocessor& pre, const std::vector<ImageRecord*>& records) {
  std::vector<Tensor> good;
  ImageBatch batch;
  for (std::size_t i = 0; i < records.size(); ++i) {
    ImageRecord& r = *records[i];
    if (!r.error.empty()) continue;
    try {
      Tensor t = pre.load(r.file);
      if (!good.empty() && t.shape() != good.front().shape()) {
        r.error = "image tensor " + shape_str(t.shape()) + " differs from the batch's " +
                  shape_str(good.front().shape()) + " (the preprocessor must resize)";
        continue;
      }
      good.push_back(std::move(t));
      batch.rows.push_back(i);
    } catch (const Error& e) {
      r.error = e.what();
    }
  }
  if (good.empty()) return batch;
  const Shape& one = good.front().shape();
  const std::int64_t per = good.front().numel();
  batch.images = Tensor::zeros({static_cast<std::int64_t>(good.size()), one[0], one[1], one[2]});
  float* dst = batch.images.data<float>();
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::memcpy(dst + static_cast<std::int64_t>(i) * per, good[i].data<float>(),
                static_cast<std::size_t>(per) * sizeof(float));
  }
  return batch;
}

std::vector<std::int64_t> feature_grid(std::int64_t positions, std::int64_t height, std::int64_t width) {
  const double aspect = static_cast<double>(height) / static_cast<double>(std::max<std::int64_t>(width, 1));
  std::int64_t best = 1;
  double best_gap = 1e300;
  for (std::int64_t gh = 1; gh <= positions; ++gh) {
    if (positions % gh != 0) continue;
    const double gap = std::abs(std::log(static_cast<double>(gh * gh) / static_cast<double>(positions) / aspect));
    if (gap < best_gap) {
      best_gap = gap;
      best = gh;
    }
  }
  return {best, positions / best};
}

}  // namespace recur::tasks
