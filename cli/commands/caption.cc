// `recur caption -m MODEL_DIR [IMAGE...] [-i LIST|FOLDER] [-o OUT]`: caption images with a
// model folder. The images are the arguments, a folder's image files (sorted by name), a
// list file (one path per line; relative paths are relative to the list's folder; a
// `path<TAB>caption` TSV works too) or paths on stdin. Output: `path<TAB>caption` lines in
// input order, or JSON lines with --json.
#include <algorithm>
#include <filesystem>

#include "batch_command.h"
#include "command.h"
#include "recur/core/error.h"

namespace recur::cli {

namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  declare_model_job(options);
  auto add = options.named.add_options();
  add("json", po::bool_switch(), "JSON lines: path, caption, score, n_best (and error)");
  add("image", po::value<std::vector<std::string>>()->composing()->value_name("IMAGE"),
      "an image to caption (the positional arguments)");
  options.positional.add("image", -1);
}

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".webp";
}

// A record is a line whose first TAB field is the path: a path with a newline would be
// two records (two outputs for one image), one with a TAB a shorter path.
bool fits_a_record(const std::string& path) {
  return path.find_first_of("\n\t") == std::string::npos;
}

// A folder's image files (by extension, not recursive), sorted by name.
RecordListing folder_listing(const std::string& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (!is_image_name(entry.path())) continue;
    if (!fits_a_record(entry.path().string())) {
      throw IoError(entry.path().string() +
                    ": a path with a newline or TAB cannot be a record; rename it");
    }
    names.push_back(entry.path().filename().string());
  }
  if (ec) throw IoError(folder + ": cannot list the folder: " + ec.message());
  std::sort(names.begin(), names.end());
  RecordListing listing{folder, ""};
  for (const auto& n : names) listing.records += (fs::path(folder) / n).string() + "\n";
  return listing;
}

int run(const po::variables_map& args) {
  const std::string in = args["input"].as<std::string>();
  if (args.count("image")) {
    if (in != "-") throw FlagError("--input", "give images as arguments or with -i, not both");
    RecordListing listing{"<arguments>", ""};
    for (const auto& image : args["image"].as<std::vector<std::string>>()) {
      if (!fits_a_record(image)) {
        throw FlagError("IMAGE", "a path with a newline or TAB: " + image);
      }
      listing.records += image + "\n";
    }
    return run_model_job(args, &listing);
  }
  std::error_code ec;
  if (in != "-" && fs::is_directory(in, ec)) {
    const RecordListing listing = folder_listing(in);
    return run_model_job(args, &listing);
  }
  return run_model_job(args, nullptr);
}

}  // namespace

Command caption_command() {
  return {"caption", "caption images (arguments, a folder, a list file or stdin) with a model folder",
          "-m MODEL_DIR [IMAGE...] [-i LIST|FOLDER] [-o OUT] [options]", &declare, &run};
}

}  // namespace recur::cli
