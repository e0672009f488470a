// A model folder is what `recur translate -m DIR` runs: pipeline.yaml, model.safetensors
// and the files the components name (tokenizer models, vocabularies), side by side.
#pragma once

#include <filesystem>
#include <optional>

#include "recur/core/dtype.h"
#include "recur/pipeline/pipeline.h"

namespace recur {

// Writes `out_dir` from the training pipeline YAML and the trained model: the YAML
// without its train: section and with weights: model.safetensors; every file a
// component setting names is copied in and the setting rewritten to the copy's name,
// except pretrained vectors (`embeddings`, `embeddings_vocab` of the encoder or decoder),
// which only initialise what the weights file holds and are dropped, and a tokenizer's
// `corpus` (with `min_count`, `max_size`) when it also names the `vocab` counted from it.
// Weights are stored as `dtype` (f32 if unset). Files are replaced atomically.
void export_model_folder(const std::filesystem::path& pipeline_yaml, Pipeline& pipeline,
                         const std::filesystem::path& out_dir, std::optional<DType> dtype = {});

}  // namespace recur
