// Records that name image files, the same way for every task whose source is images
// (captioning, image classification): a line is a path, optionally followed by a TAB and
// anything (so a `path<TAB>caption` reference TSV is a valid input); a relative path is
// resolved against a base folder (the list file's own folder). Decoding happens later,
// in the job's worker threads; a problem is kept with the record and named when its
// output is written, in input order.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/data/line_reader.h"
#include "recur/preprocessor.h"

namespace recur::tasks {

struct ImageRecord {
  std::uint64_t line = 0;
  std::string path;             // as written in the record (what the output repeats)
  std::filesystem::path file;   // resolved
  std::string error;            // why the image could not be used; empty if fine
};

// The record of `line` (its first TAB-separated field, trailing spaces and CR removed).
// An empty path is an ImageRecord with an error ("empty line").
ImageRecord image_record(const data::Line& line, const std::filesystem::path& base_dir);

// Decodes the records' images with `pre` and stacks them into [N, C, H, W]; a record
// whose image fails, or whose size differs from the first good one, gets its `error`
// set and is left out. Returns the stacked tensor (undefined if none was usable) and the
// indices (into `records`) of the rows it holds.
struct ImageBatch {
  Tensor images;
  std::vector<std::size_t> rows;
};
ImageBatch load_images(const Preprocessor& pre, const std::vector<ImageRecord*>& records);

// The grid GH x GW that S feature positions of an H x W image form (GH * GW = S, the
// aspect closest to the image's): what a CNN encoder's flattened grid was.
std::vector<std::int64_t> feature_grid(std::int64_t positions, std::int64_t height, std::int64_t width);

}  // namespace recur::tasks
