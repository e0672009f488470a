#include "recur/pipeline/model_folder.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>

#include "recur/nn/state_dict.h"

namespace recur {

namespace fs = std::filesystem;

namespace {

// Copies files named by scalar settings of `node` (a component section) into `out_dir`
// and points the settings at the copies. `prefix` keeps same-named files of different
// components apart.
struct Bundle {
  std::set<std::string> taken;                // names used in the folder
  std::map<fs::path, std::string> copied;     // source file -> its name in the folder
};

void bundle_files(YAML::Node node, const fs::path& base, const fs::path& out_dir,
                  const std::string& prefix, Bundle& bundle) {
  if (!node || !node.IsMap()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->second.IsScalar()) continue;
    const std::string key = it->first.as<std::string>();
    if (key == "plugin") continue;
    const fs::path value = it->second.as<std::string>();
    const fs::path file = value.is_absolute() ? value : base / value;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    const fs::path canonical = fs::weakly_canonical(file);
    if (auto done = bundle.copied.find(canonical); done != bundle.copied.end()) {
      it->second = done->second;  // one copy of a file two components share
      continue;
    }
    std::string name = file.filename().string();
    if (!bundle.taken.insert(name).second) {
      name = prefix + "-" + name;
      bundle.taken.insert(name);
    }
    bundle.copied.emplace(canonical, name);
    fs::copy_file(file, out_dir / name, fs::copy_options::overwrite_existing, ec);
    if (ec) throw IoError((out_dir / name).string() + ": cannot copy " + file.string() + ": " + ec.message());
    it->second = name;
  }
}

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw IoError(tmp.string() + ": write error");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw IoError(path.string() + ": cannot replace: " + ec.message());
}

}  // namespace

void export_model_folder(const fs::path& pipeline_yaml, Pipeline& pipeline, const fs::path& out_dir,
                         std::optional<DType> dtype) {
  fs::create_directories(out_dir);
  YAML::Node root = YAML::LoadFile(pipeline_yaml.string());
  root.remove("train");
  const fs::path base = pipeline_yaml.parent_path();
  Bundle bundle;
  bundle.taken = {"pipeline.yaml", "model.safetensors"};
  for (const char* side : {"source", "target"}) {
    for (const char* kind : {"tokenizer", "preprocessor"}) {
      if (root[side] && root[side][kind]) bundle_files(root[side][kind], base, out_dir, side, bundle);
    }
  }
  for (const char* part : {"encoder", "decoder"}) bundle_files(root[part], base, out_dir, part, bundle);
  root["weights"] = "model.safetensors";

  nn::SaveOptions save;
  save.float_dtype = dtype;
  save.metadata["recur_model"] = "1";
  nn::save_state_dict(pipeline.model(), out_dir / "model.safetensors", save);

  YAML::Emitter emitter;
  emitter << root;
  write_atomically(out_dir / "pipeline.yaml",
                   "# Model folder written by `recur train` from " + pipeline_yaml.filename().string() +
                       "\n" + std::string(emitter.c_str()) + "\n");
}

}  // namespace recur
