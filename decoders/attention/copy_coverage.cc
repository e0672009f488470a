#include "copy_coverage.h"

#include <algorithm>
#include <string>

#include "recur/core/error.h"
#include "recur/ops/copy_mixture.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"

namespace recur::decoders {

Tensor copy_log_probs(const Tensor& logits, const Tensor& p_gen, const Tensor& weights,
                      const Tensor& source_ids, std::int64_t width) {
  return ops::copy_mixture_log_probs(logits, p_gen, weights, source_ids, kCopyFloor, width);
}

std::int64_t extended_width(const Tensor& source_ids, std::int64_t vocab) {
  std::int64_t width = vocab;
  if (!source_ids.defined()) return width;
  const std::int64_t* p = source_ids.data<std::int64_t>();
  for (std::int64_t i = 0; i < source_ids.numel(); ++i) width = std::max(width, p[i] + 1);
  return width;
}

Tensor fed_ids(const Tensor& ids, std::int64_t vocab, std::int64_t unk) {
  const std::int64_t* p = ids.data<std::int64_t>();
  const std::int64_t n = ids.numel();
  if (std::none_of(p, p + n, [&](std::int64_t id) { return id >= vocab; })) return ids;
  if (unk < 0) {
    throw ShapeError("attention decoder: input id " + std::to_string(*std::max_element(p, p + n)) +
                     " is outside the vocabulary (" + std::to_string(vocab) +
                     " ids) and there is no unknown-token id to feed instead");
  }
  Tensor fed = ids.clone();
  std::int64_t* q = fed.data<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) {
    if (q[i] >= vocab) q[i] = unk;
  }
  return fed;
}

Tensor row_source_ids(const search::MemoryRows& rows) {
  const Tensor& held = rows.source_ids();
  const std::int64_t n = rows.rows(), s = held.dim(1);
  Tensor ids = Tensor::zeros({n, s}, DType::i64);
  const std::int64_t* from = held.data<std::int64_t>();
  std::int64_t* to = ids.data<std::int64_t>();
  for (std::int64_t r = 0; r < n; ++r) std::copy_n(from + rows.slot(r) * s, s, to + r * s);
  return ids;
}

void check_copy_ids(const Tensor& ids, std::int64_t b, std::int64_t s, std::int64_t vocab,
                    std::int64_t unk) {
  if (!ids.defined() || ids.dtype() != DType::i64 || ids.shape() != Shape{b, s}) {
    throw ShapeError(
        "attention decoder: copy needs the memory's source_ids (the seq2seq tasks "
        "give them when source and target share one vocabulary), i64 " +
        shape_str({b, s}) + ", got " +
        (ids.defined() ? std::string(dtype_name(ids.dtype())) + " " + shape_str(ids.shape())
                       : std::string("undefined")));
  }
  const std::int64_t* p = ids.data<std::int64_t>();
  const std::int64_t limit = unk >= 0 ? vocab + s : vocab;
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (p[i] < 0 || p[i] >= limit) {
      throw ShapeError(
          "attention decoder: copy needs source ids in the target vocabulary (a "
          "joint vocabulary" +
          std::string(unk >= 0 ? ", or extended ids below vocabulary + source length" : "") +
          "), got id " + std::to_string(p[i]) + " for " + std::to_string(vocab) + " target ids");
    }
  }
}

Tensor coverage_step_loss(const Tensor& a, const Tensor& c) {
  Tensor smaller = ops::sub(a, ops::relu(ops::sub(a, c)));  // min(a, c)
  return ops::sum(smaller, 2);
}

Tensor mean_over_tokens(const Tensor& terms, const Tensor& tgt_in, std::int64_t pad, float weight) {
  Tensor mask = Tensor::zeros(tgt_in.shape());
  const std::int64_t* id = tgt_in.data<std::int64_t>();
  float* m = mask.data<float>();
  std::int64_t tokens = 0;
  for (std::int64_t i = 0; i < tgt_in.numel(); ++i) {
    m[i] = id[i] != pad ? 1.0f : 0.0f;
    tokens += id[i] != pad;
  }
  const float scale = weight / static_cast<float>(std::max<std::int64_t>(tokens, 1));
  return ops::scale(ops::sum(ops::mul(terms, mask)), scale);
}

}  // namespace recur::decoders
