// pipeline/teacher_forcing.cc: a target id beyond the decoder's columns (an extended-
// vocabulary id given to a decoder that does not copy) is scored as the unknown token;
// one within the columns (a copying decoder's extended vocabulary) is scored as itself.
#include "recur/pipeline/teacher_forcing.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur {
namespace {

constexpr std::int64_t kPad = 0, kBos = 1, kEos = 2, kUnk = 3, kVocab = 6;

class Ids final : public Tokenizer {
 public:
  std::vector<std::int64_t> encode(std::string_view) const override { return {}; }
  std::string decode(const std::vector<std::int64_t>&) const override { return {}; }
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override {
    return std::vector<std::string>(ids.size());
  }
  std::int64_t vocab_size() const override { return kVocab; }
  std::int64_t pad_id() const override { return kPad; }
  std::int64_t bos_id() const override { return kBos; }
  std::int64_t eos_id() const override { return kEos; }
  std::int64_t unk_id() const override { return kUnk; }
};

// Logits j * 0.5 for column j of `width` columns, whatever the inputs.
class Fixed final : public Decoder {
 public:
  explicit Fixed(std::int64_t width) : width_(width) {}
  StepOutput step(DecoderState&, const std::vector<std::int64_t>&) override { throw Error("unused"); }
  Tensor forward(const Memory&, const Tensor& tgt_in) override {
    Tensor out = Tensor::zeros({tgt_in.dim(0), tgt_in.dim(1), width_});
    for (std::int64_t i = 0; i < out.numel(); ++i) out.data<float>()[i] = 0.5f * static_cast<float>(i % width_);
    return out;
  }
  std::int64_t vocab_size() const override { return kVocab; }

 protected:
  std::unique_ptr<DecoderState> init_state(const Memory&, search::MemoryRows) override { return nullptr; }
  void reorder_state(DecoderState&, const std::vector<std::int64_t>&) override {}

 private:
  std::int64_t width_;
};

double nll(Decoder& decoder, const std::vector<std::int64_t>& target) {
  Ids tok;
  std::vector<const std::vector<std::int64_t>*> rows{&target};
  return teacher_forcing_loss(decoder, Memory{}, tok, rows, 0.0f).nll_sum;
}

TEST(TeacherForcing, AnIdBeyondTheColumnsIsTheUnknownToken) {
  Fixed plain(kVocab), extended(kVocab + 2);
  EXPECT_DOUBLE_EQ(nll(plain, {4, kVocab + 1}), nll(plain, {4, kUnk}));
  EXPECT_NE(nll(extended, {4, kVocab + 1}), nll(extended, {4, kUnk}));
  // log-softmax of 0.5 j over 8 columns: column 7 is the most likely, so its nll is the least.
  EXPECT_LT(nll(extended, {4, kVocab + 1}), nll(extended, {4, kUnk}));
}

}  // namespace
}  // namespace recur
