// The head of a many-to-one classifier: the encoder's Memory pooled to one vector per
// sequence, then dropout, an optional hidden layer and the output layer -> class logits.
//
//   classifier:
//     pooling: last      # last: the encoder's summary (bilstm: [h_fwd_last ; h_bwd_last]);
//                        # mean / max: over the real positions of the memory states;
//                        # attention: a learned query scores each position (Yang et al.
//                        #   2016: tanh(W h + b) . q), softmax over real positions
//     attention_size: 0  # attention: size of tanh(W h + b) (0: the memory size)
//     hidden_size: 0     # a tanh layer before the output layer (0: none)
//     dropout: 0.2       # on the pooled vector (and the hidden layer), training only
//     seed: 1            # initialisation
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "recur/config/section.h"
#include "recur/encoder.h"
#include "recur/nn/linear.h"
#include "recur/nn/module.h"

namespace recur::tasks {

enum class Pooling { last, mean, max, attention };

struct ClassifierSettings {
  Pooling pooling = Pooling::last;
  std::int64_t attention_size = 0;
  std::int64_t hidden_size = 0;
  float dropout = 0.2f;
  std::uint64_t seed = 1;
};

// Reads the `classifier:` section above (absent: the defaults); ConfigError at the key.
ClassifierSettings parse_classifier_settings(const config::Section& section);

class ClassifierHead final : public nn::Module {
 public:
  // memory_size / summary_size: the encoder's; classes >= 2.
  ClassifierHead(const ClassifierSettings& settings, std::int64_t memory_size, std::int64_t summary_size,
                 std::int64_t classes);

  // Logits [B, classes] of the sequences `memory` encodes.
  Tensor forward(const Memory& memory);
  // The pooled vector [B, D] (before dropout) and, for attention pooling, the weights
  // [B, S] over positions (undefined otherwise).
  struct Pooled {
    Tensor vector;
    Tensor weights;
  };
  Pooled pool(const Memory& memory) const;

  std::int64_t classes() const { return output_.out_features(); }

 private:
  ClassifierSettings settings_;
  std::unique_ptr<nn::Linear> attention_;  // W, b
  std::unique_ptr<nn::Linear> query_;      // q (no bias)
  std::unique_ptr<nn::Linear> hidden_;
  nn::Linear output_;
};

}  // namespace recur::tasks
