// The arithmetic of inference: f32 (the default, outputs identical to the reference
// fixtures) or bf16. In bf16, inference passes — ops run with no gradient to record —
// multiply in bf16 with f32 accumulation: linear layers (src and weight bf16, bias and
// output f32) and recurrent layers (input, weights, hidden state and output bf16; the
// LSTM cell state, bias and gate arithmetic f32). Weights are converted once per weight
// version and kept with the weight (as the f32 path keeps its reordered copies), so a
// model pays the conversion on its first batch only. A decoder's attention memory is
// converted once per batch (ops::matmul_operand), so its scores and context products run
// in bf16 too, into f32. Everything else (embeddings, the attention softmax, softmax,
// log-probabilities, losses) stays f32.
//
// Mixed-precision training (set_training_precision(bf16)): passes that record gradients
// run the same layers the same way, forward and backward — linear layers' products and
// both gradient products, recurrent layers' forward and backward — on bf16 copies of
// their operands made per call, with f32 accumulation and f32 outputs and gradients.
// The weights, their gradients and the optimizer's state stay f32 (the master copy),
// as do losses, softmax and everything else; inference passes inside training
// (validation) keep the inference precision.
//
// int8 (inference only): linear layers quantize dynamically, as PyTorch's
// quantize_dynamic does for nn.Linear — each weight per output row to s8 (once per
// version, kept with the weight), each input per call to s8 with one scale, s8 x s8
// products accumulated in s32 and rescaled to f32 with the bias (ops/linear_int8.cc).
// LSTM layers run oneDNN's u8s8 LSTM: input and hidden state u8, weights s8 per gate
// column, gates, cell state and output f32; the input's range measured per call
// (ops/rnn_int8.h). GRU and tanh layers (oneDNN 2.6 has no int8 kernel for the
// linear-before-reset GRU of every shipped decoder), attention, convolutions and
// everything else stay f32.
//
// bf16 pays where the CPU multiplies bf16 natively: AVX512-BF16 (e.g. AMD Zen 4, Intel
// Cooper Lake) or AMX (Intel Sapphire Rapids), detected at run time through oneDNN.
// Elsewhere set_inference_precision(bf16) keeps f32 and says so. int8 likewise needs an
// 8-bit dot product (AVX512-VNNI: Intel Cascade Lake on, AMD Zen 4 on; or AVX-VNNI).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace recur::ops {

enum class Precision { f32, bf16, int8 };

// "f32", "bf16", "int8".
std::string_view precision_name(Precision p);
// The precision of a name above; nullopt for any other.
std::optional<Precision> precision_of(std::string_view name);

// Whether this CPU has native bf16 arithmetic (AVX512-BF16 or AMX) for oneDNN.
bool cpu_has_bf16();
// Whether it has an 8-bit integer dot product (AVX512-VNNI or AVX-VNNI), which int8 needs.
bool cpu_has_int8_dot();
// oneDNN's name of the instruction set it dispatches to here, e.g. "avx512_core_bf16".
std::string cpu_isa_name();

// Sets the precision of every later inference pass in this process and returns the
// one in effect: bf16 on a CPU without native bf16 logs a warning and keeps f32 (oneDNN
// would emulate it, slower than f32), as does int8 without VNNI. Set it before a job
// starts, not during one.
Precision set_inference_precision(Precision p);
Precision inference_precision();

// The same for passes that record gradients (training); f32 by default. int8 is for
// inference only: Error.
Precision set_training_precision(Precision p);
Precision training_precision();

// The precision of a pass: training's when it records gradients, else inference's.
Precision pass_precision(bool records_gradients);

}  // namespace recur::ops
