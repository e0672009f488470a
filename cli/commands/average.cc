// `recur average -m MODEL_DIR -o OUT_DIR WEIGHTS...`: checkpoint averaging. Writes a
// model folder that is MODEL_DIR with its weights replaced by the mean of the given files
// (step-*.safetensors kept by `keep_checkpoints`, other model files or training
// checkpoints of the same model); OUT_DIR may be MODEL_DIR itself.
#include <cstdio>
#include <iostream>

#include "command.h"
#include "recur/config/section.h"
#include "recur/core/atomic_file.h"
#include "recur/core/error.h"
#include "recur/nn/average.h"
#include "recur/nn/state_dict.h"

namespace recur::cli {
namespace {

namespace fs = std::filesystem;

void declare(CommandOptions& options) {
  auto add = options.named.add_options();
  add("model,m", po::value<std::string>()->required()->value_name("DIR"),
      "model folder of the run (its pipeline.yaml, tokenizer files and weights' names and dtype)");
  add("output,o", po::value<std::string>()->required()->value_name("DIR"),
      "model folder to write (may be the -m folder: only its weights are replaced)");
  add("dtype", po::value<std::string>()->value_name("T"), "store the mean as f32, bf16 or f16 (default: as -m stores it)");
  add("weights", po::value<std::vector<std::string>>()->required()->value_name("FILE"),
      "weights to average: model files or training checkpoints of the same model");
  options.positional.add("weights", -1);
}

std::optional<DType> parse_dtype(const po::variables_map& args) {
  if (!args.count("dtype")) return std::nullopt;
  const std::string d = args["dtype"].as<std::string>();
  if (d == "f32") return DType::f32;
  if (d == "bf16") return DType::bf16;
  if (d == "f16") return DType::f16;
  throw FlagError("--dtype", "expected f32, bf16 or f16, not '" + d + "'");
}

// The model folder's files beside its weights, copied into a new folder.
void copy_folder(const fs::path& from, const fs::path& to, const fs::path& skip) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    if (!entry.is_regular_file() || entry.path().filename() == skip) continue;
    std::error_code ec;
    fs::copy_file(entry.path(), to / entry.path().filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) throw IoError((to / entry.path().filename()).string() + ": cannot copy " + entry.path().string() + ": " + ec.message());
  }
}

int run(const po::variables_map& args) {
  const std::optional<DType> dtype = parse_dtype(args);
  const fs::path model_dir = args["model"].as<std::string>();
  const fs::path out_dir = args["output"].as<std::string>();
  const fs::path yaml = model_dir / "pipeline.yaml";
  if (!fs::is_regular_file(yaml)) throw IoError(model_dir.string() + ": not a model folder (no pipeline.yaml)");
  const config::Section root = config::load_file(yaml);
  const fs::path weights = root.path_value("weights", fs::path("model.safetensors"));
  if (fs::weakly_canonical(weights.parent_path()) != fs::weakly_canonical(model_dir)) {
    throw IoError(yaml.string() + ": weights: '" + weights.string() + "' is outside the model folder");
  }
  std::vector<fs::path> files;
  for (const auto& f : args["weights"].as<std::vector<std::string>>()) files.emplace_back(f);

  const safetensors::File like = safetensors::File::open(weights);
  auto mean = nn::average_weights(like, files);
  nn::SaveOptions save;
  save.float_dtype = dtype;
  if (!dtype) {
    for (const auto& info : like.tensors()) {
      if (is_float(info.dtype)) {
        save.float_dtype = info.dtype;
        break;
      }
    }
  }
  save.metadata = like.metadata();
  save.metadata["recur_averaged"] = std::to_string(files.size());
  const bool in_place = fs::exists(out_dir) && fs::equivalent(out_dir, model_dir);
  if (!in_place) copy_folder(model_dir, out_dir, weights.filename());
  nn::save_tensors(std::move(mean), out_dir / weights.filename(), save);
  std::fprintf(stderr, "recur: the mean of %zu weight files in %s\n", files.size(),
               (out_dir / weights.filename()).string().c_str());
  return 0;
}

}  // namespace

Command average_command() {
  return {"average", "average a model's weights over checkpoints (the last N validations of a run)",
          "-m MODEL_DIR -o OUT_DIR WEIGHTS... [--dtype f32|bf16|f16]", &declare, &run};
}

}  // namespace recur::cli
