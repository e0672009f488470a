// The checks every seq2seq parity test makes against the PyTorch reference
// (reference_parity_test.cc, copy_parity_test.cc): tensors within a tolerance, and greedy
// and beam-5 outputs on the fixture sentences.
// `sentences` is the fixtures' sentences.json (source ids), `search` a configuration's
// search.json (greedy and beam outputs: ids and scores).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "recur/ops/tape.h"
#include "recur/pipeline/pipeline.h"

namespace recur::testing {

// |got - want| <= atol + rtol |want| for every element; the largest error is recorded as the
// test property "<what>_max_abs_error".
inline void expect_close(const Tensor& got, const Tensor& want, double atol, double rtol,
                         const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  auto g = got.to_vector();
  auto w = want.to_vector();
  double worst = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double err = std::abs(double(g[i]) - double(w[i]));
    worst = std::max(worst, err);
    ASSERT_LE(err, atol + rtol * std::abs(double(w[i])))
        << what << " element " << i << ": " << g[i] << " vs " << w[i];
  }
  std::ostringstream out;
  out << std::scientific << worst;
  ::testing::Test::RecordProperty(what + "_max_abs_error", out.str());
}

inline void expect_search_matches_reference(Pipeline& pipeline,
                                            const std::filesystem::path& sentences_json,
                                            const std::filesystem::path& search_json) {
  autograd::NoGradGuard g;
  std::ifstream sj(sentences_json);
  auto sentences = nlohmann::json::parse(sj);
  std::ifstream rj(search_json);
  auto ref = nlohmann::json::parse(rj);

  const std::size_t n = sentences.size();
  std::size_t width = 0;
  for (const auto& s : sentences) width = std::max(width, s["source_ids"].size());
  SourceBatch batch;
  batch.data = Tensor::zeros({std::int64_t(n), std::int64_t(width)}, DType::i64);
  std::vector<search::Row> rows;
  for (std::size_t i = 0; i < n; ++i) {
    auto ids = sentences[i]["source_ids"].get<std::vector<std::int64_t>>();
    std::copy(ids.begin(), ids.end(), batch.data.data<std::int64_t>() + i * width);
    batch.lengths.push_back(std::int64_t(ids.size()));
    rows.push_back({std::int64_t(ids.size()), i});
  }
  Memory m = pipeline.encoder().encode(batch);
  m.source_ids = batch.data;

  search::Options greedy = pipeline.search_options();
  greedy.beam_size = 1;
  greedy.n_best = 1;
  auto g1 = search::decode(pipeline.decoder(), m, rows, greedy);
  auto b5 = search::decode(pipeline.decoder(), m, rows, pipeline.search_options());
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(g1[i][0].ids, ref["greedy"][i]["ids"].get<std::vector<std::int64_t>>())
        << "greedy, sentence " << i;
    EXPECT_NEAR(g1[i][0].score, ref["greedy"][i]["score"].get<double>(),
                1e-4 * std::abs(ref["greedy"][i]["score"].get<double>()) + 1e-5);
    ASSERT_EQ(b5[i].size(), ref["beam"][i].size()) << "beam, sentence " << i;
    for (std::size_t k = 0; k < b5[i].size(); ++k) {
      EXPECT_EQ(b5[i][k].ids, ref["beam"][i][k]["ids"].get<std::vector<std::int64_t>>())
          << "beam, sentence " << i << " hypothesis " << k;
      const double want = ref["beam"][i][k]["score"].get<double>();
      EXPECT_NEAR(b5[i][k].score, want, 1e-4 * std::abs(want) + 1e-5);
    }
  }
}

}  // namespace recur::testing
