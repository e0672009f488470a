// recur's achieved GFLOP/s on a model folder, next to a square matmul measured in the
// same run: the encoder over a batch, the decoder's step (B rows), and a training step
// (teacher-forced forward, cross-entropy with label smoothing, backward; no optimizer).
// Synthetic batches of fixed lengths (no padding); flops from model_flops.h.
//
//   recur_flops_bench --model DIR [--threads N] [--batch 64] [--source 30] [--target 30]
//                     [--reps 5] [--matmul 1024]
// Prints one JSON object (median seconds and GFLOP/s per measurement).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "model_flops.h"
#include "recur/core/error.h"
#include "recur/ops/loss.h"
#include "recur/ops/matmul.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "recur/plugin/host.h"

namespace recur::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> parse_args(int argc, char** argv) {
  std::map<std::string, std::string> a{{"threads", "0"}, {"batch", "64"}, {"source", "30"},
                                       {"target", "30"}, {"reps", "5"}, {"matmul", "1024"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || (!a.count(key.substr(2)) && key != "--model")) {
      throw Error("unknown option " + key);
    }
    a[key.substr(2)] = argv[i + 1];
  }
  if (!a.count("model")) throw Error("usage: recur_flops_bench --model DIR [--threads N] ...");
  return a;
}

// Median wall seconds of `reps` runs of `body` after one warm-up run; `setup` is untimed.
double median_seconds(int reps, const std::function<void()>& setup, const std::function<void()>& body) {
  std::vector<double> t;
  for (int r = 0; r <= reps; ++r) {
    setup();
    const auto start = Clock::now();
    body();
    if (r > 0) t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

Tensor random_ids(std::int64_t rows, std::int64_t cols, std::int64_t vocab, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> d(4, vocab - 1);
  Tensor t = Tensor::zeros({rows, cols}, DType::i64);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.data<std::int64_t>()[i] = d(rng);
  return t;
}

void print(const char* name, double flops, double seconds, bool last = false) {
  std::printf("  \"%s\": {\"gflop\": %.4f, \"seconds\": %.6f, \"gflops\": %.2f}%s\n", name, flops / 1e9,
              seconds, flops / seconds / 1e9, last ? "" : ",");
}

int run(const std::map<std::string, std::string>& a) {
  if (std::stoi(a.at("threads")) > 0) ops::set_num_threads(std::stoi(a.at("threads")));
  const int reps = std::stoi(a.at("reps"));
  const std::int64_t b = std::stoll(a.at("batch")), s = std::stoll(a.at("source")), t = std::stoll(a.at("target"));
  const std::int64_t n = std::stoll(a.at("matmul"));
  PluginHost host;
  host.load_search_path({});
  Pipeline p = Pipeline::load(std::filesystem::path(a.at("model")) / "pipeline.yaml", host.registry());
  const ModelShape m = model_shape(p);
  std::mt19937 rng(1);
  const Tensor x = Tensor::full({n, n}, 0.5f), y = Tensor::full({n, n}, 0.25f);
  SourceBatch src{random_ids(b, s, p.source_tokenizer()->vocab_size(), rng), std::vector<std::int64_t>(b, s)};
  const Tensor tgt = random_ids(b, t, m.vocab, rng);
  std::vector<std::vector<std::int64_t>> prev(t);
  for (std::int64_t k = 0; k < t; ++k) {
    for (std::int64_t r = 0; r < b; ++r) prev[k].push_back(tgt.data<std::int64_t>()[r * t + k]);
  }

  std::printf("{\n  \"threads\": %d, \"batch\": %lld, \"source\": %lld, \"target\": %lld,\n", ops::num_threads(),
              static_cast<long long>(b), static_cast<long long>(s), static_cast<long long>(t));
  double sec;
  {
    autograd::NoGradGuard no_grad;
    p.model().eval();
    sec = median_seconds(reps, [] {}, [&] { ops::matmul(x, y); });
    print("matmul", 2.0 * n * n * n, sec);
    sec = median_seconds(reps, [] {}, [&] { p.encoder().encode(src); });
    print("encoder", static_cast<double>(b) * s * encoder_flops_per_position(m), sec);
    const Memory memory = p.encoder().encode(src);
    std::unique_ptr<DecoderState> state;
    sec = median_seconds(reps, [&] { state = p.decoder().init(memory); }, [&] {
      for (std::int64_t k = 0; k < t; ++k) p.decoder().step(*state, prev[k]);
    });
    print("decoder_step", static_cast<double>(b) * t * decoder_step_flops_per_row(m, s), sec);
  }
  ops::CrossEntropyOptions ce;
  ce.ignore_index = p.target_tokenizer().pad_id();
  ce.label_smoothing = 0.1f;
  p.model().train();
  sec = median_seconds(reps, [&] { p.model().zero_grad(); }, [&] {
    Memory memory = p.encoder().encode(src);
    Tensor logits = p.decoder().forward(memory, tgt);
    Tensor loss = ops::cross_entropy(ops::reshape(logits, {-1, m.vocab}), tgt.view({tgt.numel()}), ce);
    loss.backward();
  });
  print("train_step", train_step_flops(m, b, s, t), sec, true);
  std::printf("}\n");
  return 0;
}

}  // namespace
}  // namespace recur::bench

int main(int argc, char** argv) {
  try {
    return recur::bench::run(recur::bench::parse_args(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recur_flops_bench: %s\n", e.what());
    return 1;
  }
}
