#include "recur/pipeline/model_folder.h"

#include "recur/core/atomic_file.h"

#include <fstream>
#include <map>
#include <set>

#include "recur/config/editable_document.h"
#include "recur/nn/state_dict.h"

namespace recur {

namespace fs = std::filesystem;

namespace {

// Files named by component settings are copied into the folder once each; `taken` keeps
// same-named files of different components apart.
struct Bundle {
  std::set<std::string> taken;                // names used in the folder
  std::map<fs::path, std::string> copied;     // source file -> its name in the folder
};

// Copies `file` (named by a setting of the component `prefix`) into `out_dir`, unless an
// earlier setting copied it already; returns its name in the folder.
std::string bundle_file(const fs::path& file, const fs::path& out_dir, const std::string& prefix,
                        Bundle& bundle) {
  const fs::path canonical = fs::weakly_canonical(file);
  if (auto done = bundle.copied.find(canonical); done != bundle.copied.end()) return done->second;
  std::string name = file.filename().string();
  if (!bundle.taken.insert(name).second) {
    name = prefix + "-" + name;
    bundle.taken.insert(name);
  }
  bundle.copied.emplace(canonical, name);
  std::error_code ec;
  fs::copy_file(file, out_dir / name, fs::copy_options::overwrite_existing, ec);
  if (ec) throw IoError((out_dir / name).string() + ": cannot copy " + file.string() + ": " + ec.message());
  return name;
}

}  // namespace

void export_model_folder(const fs::path& pipeline_yaml, Pipeline& pipeline, const fs::path& out_dir,
                         std::optional<DType> dtype) {
  fs::create_directories(out_dir);
  remove_stale_temporaries(out_dir);  // of an export killed before it could rename them
  config::EditableDocument doc = config::EditableDocument::load_file(pipeline_yaml);
  doc.remove("train");
  Bundle bundle;
  bundle.taken = {"pipeline.yaml", "model.safetensors"};
  auto bundle_settings = [&](std::initializer_list<std::string_view> component, const std::string& prefix) {
    doc.rewrite_file_settings(component, [&](const std::string& key, const fs::path& file)
                                             -> std::optional<std::string> {
      if (key == "plugin") return std::nullopt;
      return bundle_file(file, out_dir, prefix, bundle);
    });
  };
  for (const char* side : {"source", "target"}) {
    // A vocabulary counted from a corpus and saved beside it (`vocab` and `corpus`): the
    // folder ships the vocabulary, not the corpus.
    if (doc.has_setting({side, "tokenizer"}, "vocab")) {
      doc.remove_settings({side, "tokenizer"}, {"corpus", "min_count", "max_size"});
    }
    for (const char* kind : {"tokenizer", "preprocessor"}) bundle_settings({side, kind}, side);
  }
  for (const char* part : {"encoder", "decoder"}) {
    // Pretrained word vectors only initialise the embedding table, which the weights
    // file holds: the folder needs neither the vectors nor their vocabulary.
    doc.remove_settings({part}, {"embeddings", "embeddings_vocab"});
    bundle_settings({part}, part);
  }
  doc.set("weights", "model.safetensors");

  nn::SaveOptions save;
  save.float_dtype = dtype;
  save.metadata["recur_model"] = "1";
  nn::save_state_dict(pipeline.model(), out_dir / "model.safetensors", save);

  write_file_atomically(out_dir / "pipeline.yaml",
                   "# Model folder written by `recur train` from " + pipeline_yaml.filename().string() +
                       "\n" + doc.emit());
}

}  // namespace recur
