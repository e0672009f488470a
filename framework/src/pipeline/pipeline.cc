#include "recur/pipeline/pipeline.h"

#include "recur/core/logging.h"
#include "recur/nn/state_dict.h"

namespace recur {

Seq2Seq::Seq2Seq(std::unique_ptr<Encoder> encoder, std::unique_ptr<Decoder> decoder)
    : encoder_(std::move(encoder)), decoder_(std::move(decoder)) {
  register_module("encoder", *encoder_);
  register_module("decoder", *decoder_);
}

search::Options parse_search_options(const config::Section& s, search::Options o) {
  o.beam_size = s.positive<std::int64_t>("beam_size", o.beam_size);
  o.n_best = s.positive<std::int64_t>("n_best", o.n_best);
  o.length_penalty = static_cast<float>(s.non_negative<double>("length_penalty", o.length_penalty));
  o.max_length_a = static_cast<float>(s.non_negative<double>("max_length_a", o.max_length_a));
  o.max_length_b = s.non_negative<std::int64_t>("max_length_b", o.max_length_b);
  o.max_length_cap = s.positive<std::int64_t>("max_length_cap", o.max_length_cap);
  o.sampling = s.get<bool>("sampling", o.sampling);
  o.top_k = s.non_negative<std::int64_t>("top_k", o.top_k);
  o.temperature = static_cast<float>(s.positive<double>("temperature", o.temperature));
  o.seed = static_cast<std::uint64_t>(s.non_negative<std::int64_t>("seed", static_cast<std::int64_t>(o.seed)));
  if (o.n_best > o.beam_size) s.fail("n_best", "expected at most beam_size (" + std::to_string(o.beam_size) + ")");
  if (o.sampling && o.beam_size != 1) s.fail("sampling", "sampling needs beam_size: 1");
  s.finish();
  return o;
}

namespace {

// Creates the component a section names with its `plugin:` key.
template <class T>
std::unique_ptr<T> create(const config::Section& s, const Registry& registry,
                          const BuildContext& context) {
  std::string name = s.get<std::string>("plugin");
  if (!registry.contains(T::kKind, name)) {
    std::string known;
    for (const auto& n : registry.names(T::kKind)) known += (known.empty() ? "" : ", ") + n;
    s.fail("plugin", "unknown " + std::string(T::kKind) + " '" + name + "' (loaded: " +
                         (known.empty() ? std::string("none") : known) + ")");
  }
  return registry.create<T>(name, s, context);
}

Task parse_task(const config::Section& root) {
  std::string t = root.one_of("task", {"translation", "summarization", "captioning"},
                              std::string("translation"));
  return t == "captioning" ? Task::captioning
         : t == "summarization" ? Task::summarization
                                : Task::translation;
}

}  // namespace

Pipeline Pipeline::load(const std::filesystem::path& yaml, const Registry& registry,
                        const PipelineOptions& options) {
  return from_section(config::load_file(yaml), registry, options);
}

Pipeline Pipeline::from_section(const config::Section& root, const Registry& registry,
                                const PipelineOptions& options) {
  Pipeline p;
  p.file_ = root.mark().file;
  p.task_ = parse_task(root);
  BuildContext ctx;
  ctx.registry = &registry;
  ctx.base_dir = root.base_dir();
  ctx.initialise = !options.load_weights;  // load_state_dict() sets every parameter

  config::Section source = root.section("source");
  if (p.task_ == Task::captioning) {
    p.preprocessor_ = create<Preprocessor>(source.section("preprocessor"), registry, ctx);
  } else {
    p.source_tokenizer_ = create<Tokenizer>(source.section("tokenizer"), registry, ctx);
    ctx.source_vocab_size = p.source_tokenizer_->vocab_size();
  }
  source.finish();
  config::Section target = root.section("target");
  p.target_tokenizer_ = create<Tokenizer>(target.section("tokenizer"), registry, ctx);
  target.finish();
  ctx.target_vocab_size = p.target_tokenizer_->vocab_size();
  ctx.pad_id = p.target_tokenizer_->pad_id();

  std::unique_ptr<Encoder> encoder = create<Encoder>(root.section("encoder"), registry, ctx);
  ctx.memory_size = encoder->memory_size();
  ctx.summary_size = encoder->summary_size();
  std::unique_ptr<Decoder> decoder = create<Decoder>(root.section("decoder"), registry, ctx);
  if (decoder->vocab_size() != ctx.target_vocab_size) {
    root.fail("decoder", "decoder vocabulary (" + std::to_string(decoder->vocab_size()) +
                             ") differs from the target tokenizer's (" +
                             std::to_string(ctx.target_vocab_size) + ")");
  }
  p.model_ = std::make_unique<Seq2Seq>(std::move(encoder), std::move(decoder));

  search::Options defaults;
  defaults.bos_id = p.target_tokenizer_->bos_id();
  defaults.eos_id = p.target_tokenizer_->eos_id();
  p.search_ = parse_search_options(root.optional_section("search"), defaults);
  p.max_source_length_ = root.positive<std::int64_t>("max_source_length", 256);
  p.weights_ = root.path_value("weights", std::filesystem::path("model.safetensors"));
  root.optional_section("train");  // read by the trainer
  root.finish();

  if (options.load_weights) {
    nn::load_state_dict(*p.model_, p.weights_);
    log().info("loaded {} parameters from {}", p.model_->parameter_count(), p.weights_.string());
  }
  p.model_->eval();
  return p;
}

}  // namespace recur
