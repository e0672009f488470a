#include "recur/pipeline/pipeline.h"

#include "recur/core/logging.h"
#include "recur/nn/state_dict.h"

namespace recur {

Model::Model(std::unique_ptr<Encoder> encoder, std::unique_ptr<Decoder> decoder)
    : encoder_(std::move(encoder)), decoder_(std::move(decoder)) {
  if (encoder_) register_module("encoder", *encoder_);
  if (decoder_) register_module("decoder", *decoder_);
}

void Model::set_head(std::unique_ptr<nn::Module> head) {
  if (head_) throw Error("Model::set_head: the model has a head already");
  head_ = std::move(head);
  if (head_) register_module("head", *head_);
}

Task::~Task() = default;

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? std::string("none") : s;
}

// Creates the component a section names with its `plugin:` key.
template <class T>
std::unique_ptr<T> create(const config::Section& s, const Registry& registry,
                          const BuildContext& context) {
  std::string name = s.get<std::string>("plugin");
  if (!registry.contains(T::kKind, name)) {
    s.fail("plugin", "unknown " + std::string(T::kKind) + " '" + name + "' (loaded: " +
                         joined(registry.names(T::kKind)) + ")");
  }
  return registry.create<T>(name, s, context);
}

}  // namespace

Pipeline::Pipeline() = default;
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;
Pipeline::~Pipeline() = default;

const Tokenizer& Pipeline::target_tokenizer() const {
  if (!target_tokenizer_) throw Error(file_.string() + ": the " + task_name_ + " task has no target tokenizer");
  return *target_tokenizer_;
}

Encoder& Pipeline::encoder() {
  if (!model_->encoder()) throw Error(file_.string() + ": the " + task_name_ + " task has no encoder");
  return *model_->encoder();
}

Decoder& Pipeline::decoder() {
  if (!model_->decoder()) throw Error(file_.string() + ": the " + task_name_ + " task has no decoder");
  return *model_->decoder();
}

search::Options& Pipeline::search_options() {
  search::Options* o = task_->search_options();
  if (!o) throw Error(file_.string() + ": the " + task_name_ + " task has no search settings");
  return *o;
}

Pipeline Pipeline::load(const std::filesystem::path& yaml, const Registry& registry,
                        const PipelineOptions& options) {
  config::LoadLimits limits;
  limits.paths_inside_base_dir = options.files_inside_folder;
  return from_section(config::load_file(yaml, limits), registry, options);
}

Pipeline Pipeline::from_section(const config::Section& root, const Registry& registry,
                                const PipelineOptions& options) {
  Pipeline p;
  p.file_ = root.mark().file;
  BuildContext ctx;
  ctx.registry = &registry;
  ctx.base_dir = root.base_dir();
  ctx.initialise = !options.load_weights;  // load_state_dict() sets every parameter

  p.task_name_ = root.get<std::string>("task", std::string("translation"));
  if (!registry.contains(Task::kKind, p.task_name_)) {
    root.fail("task", "unknown task '" + p.task_name_ + "' (registered: " +
                          joined(registry.names(Task::kKind)) + ")");
  }
  p.task_ = registry.create<Task>(p.task_name_, root, ctx);
  const TaskNeeds needs = p.task_->needs();

  if (needs.source != TaskNeeds::Source::none) {
    config::Section source = root.section("source");
    if (needs.source == TaskNeeds::Source::image) {
      p.preprocessor_ = create<Preprocessor>(source.section("preprocessor"), registry, ctx);
    } else {
      p.source_tokenizer_ = create<Tokenizer>(source.section("tokenizer"), registry, ctx);
      ctx.source_vocab_size = p.source_tokenizer_->vocab_size();
    }
    source.finish();
  }
  if (needs.target_tokenizer) {
    config::Section target = root.section("target");
    p.target_tokenizer_ = create<Tokenizer>(target.section("tokenizer"), registry, ctx);
    target.finish();
    ctx.target_vocab_size = p.target_tokenizer_->vocab_size();
    ctx.pad_id = p.target_tokenizer_->pad_id();
    ctx.unk_id = p.target_tokenizer_->unk_id();
  }
  std::unique_ptr<Encoder> encoder;
  if (needs.encoder) {
    encoder = create<Encoder>(root.section("encoder"), registry, ctx);
    ctx.memory_size = encoder->memory_size();
    ctx.summary_size = encoder->summary_size();
  }
  std::unique_ptr<Decoder> decoder;
  if (needs.decoder) {
    decoder = create<Decoder>(root.section("decoder"), registry, ctx);
    if (needs.target_tokenizer && decoder->vocab_size() != ctx.target_vocab_size) {
      root.fail("decoder", "decoder vocabulary (" + std::to_string(decoder->vocab_size()) +
                               ") differs from the target tokenizer's (" +
                               std::to_string(ctx.target_vocab_size) + ")");
    }
  }
  p.model_ = std::make_unique<Model>(std::move(encoder), std::move(decoder));

  p.task_->configure(root, p);
  p.job_options_ = parse_job_options(root.optional_section("batch"));
  p.max_source_length_ = root.positive<std::int64_t>("max_source_length", 256);
  p.precision_ = *ops::precision_of(root.one_of("precision", {"f32", "bf16", "int8"}, "f32"));
  p.weights_ = root.path_value("weights", std::filesystem::path("model.safetensors"));
  root.optional_section("train");  // read by the trainer
  root.finish();

  if (options.load_weights) {
    nn::LoadOptions load;
    load.allow_nonfinite = options.allow_nonfinite;
    nn::load_state_dict(*p.model_, p.weights_, load);
    log().info("loaded {} parameters from {}", p.model_->parameter_count(), p.weights_.string());
  }
  p.model_->eval();
  return p;
}

}  // namespace recur
