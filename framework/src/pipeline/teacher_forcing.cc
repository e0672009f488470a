#include "recur/pipeline/teacher_forcing.h"

#include <algorithm>

#include "recur/ops/elementwise.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"

namespace recur {

Tensor pad_id_rows(const std::vector<const std::vector<std::int64_t>*>& rows, std::int64_t pad,
                   std::int64_t front, std::int64_t back) {
  std::size_t width = 0;
  const std::size_t extra = (front >= 0 ? 1 : 0) + (back >= 0 ? 1 : 0);
  for (auto* r : rows) width = std::max(width, r->size() + extra);
  Tensor t = Tensor::zeros({static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(width)},
                           DType::i64);
  std::int64_t* p = t.data<std::int64_t>();
  std::fill(p, p + t.numel(), pad);
  for (std::size_t b = 0; b < rows.size(); ++b) {
    std::int64_t* row = p + b * width;
    std::size_t k = 0;
    if (front >= 0) row[k++] = front;
    for (std::int64_t id : *rows[b]) row[k++] = id;
    if (back >= 0) row[k++] = back;
  }
  return t;
}

train::StepLoss teacher_forcing_loss(Decoder& decoder, const Memory& memory,
                                     const Tokenizer& target,
                                     const std::vector<const std::vector<std::int64_t>*>& rows,
                                     float label_smoothing) {
  std::int64_t tokens = 0;
  for (auto* r : rows) tokens += static_cast<std::int64_t>(r->size()) + 1;
  Tensor tgt_in = pad_id_rows(rows, target.pad_id(), target.bos_id(), -1);
  Tensor tgt_out = pad_id_rows(rows, target.pad_id(), -1, target.eos_id());
  Tensor logits = decoder.forward(memory, tgt_in);
  const std::int64_t v = logits.dim(-1);
  // A target id beyond the decoder's columns (an extended-vocabulary id, see the seq2seq
  // tasks, for a decoder that does not copy) is the unknown token it stands for.
  std::int64_t* out_ids = tgt_out.data<std::int64_t>();
  for (std::int64_t i = 0; i < tgt_out.numel(); ++i) {
    if (out_ids[i] >= v) out_ids[i] = target.unk_id();
  }
  ops::CrossEntropyOptions o;
  o.ignore_index = target.pad_id();
  o.label_smoothing = label_smoothing;
  // A copying decoder returns normalised log-probs (log P) instead of logits: the
  // log_softmax inside cross_entropy is then the identity up to rounding (log P -
  // log(sum P) with sum P = 1), so the same loss serves both.
  Tensor loss = ops::cross_entropy(ops::reshape(logits, {-1, v}), tgt_out.view({tgt_out.numel()}), o);
  const double nll_sum = static_cast<double>(loss.item()) * static_cast<double>(tokens);
  // The decoder's own extra term (coverage loss), already weighted; the reported NLL
  // (perplexity) stays the cross-entropy's.
  if (Tensor extra = decoder.auxiliary_loss(); extra.defined()) loss = ops::add(loss, extra);
  return {loss, nll_sum, tokens};
}

}  // namespace recur
