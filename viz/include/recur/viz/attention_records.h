// Reads the attention JSONL written by `--attention FILE`: translation and summarization
// ({"line", "source", "target", "attention": [[|source|] per target piece]}) and
// captioning ({"line", "path", "grid": [GH, GW], "words", "attention": [[GH*GW] per
// word]}). Every record is checked; an error names FILE:LINE and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace recur::viz {

struct TextAttention {
  std::uint64_t line = 0;  // the input line the record answers
  std::vector<std::string> source, target;
  std::vector<std::vector<float>> weights;  // target.size() rows of source.size()
};

struct ImageAttention {
  std::uint64_t line = 0;
  std::string path;  // the image, as the caption job was given it
  int grid_h = 0, grid_w = 0;
  std::vector<std::string> words;
  std::vector<std::vector<float>> weights;  // words.size() rows of grid_h * grid_w
};

// The records answering `lines` in that order (every record when `lines` is empty). A line
// with no record is an error listing the lines the file covers.
std::vector<TextAttention> read_text_attention(const std::filesystem::path& file,
                                               const std::vector<std::uint64_t>& lines);
std::vector<ImageAttention> read_image_attention(const std::filesystem::path& file,
                                                 const std::vector<std::uint64_t>& lines);

}  // namespace recur::viz
