// Settings parsing and the factory live in their own object file: tests that build the
// encoder directly link the library without needing YAML.
#include <string>

#include "cnn_encoder.h"
#include "recur/config/section.h"

namespace recur::encoders {

namespace {

CnnStage parse_stage(const config::Section& s) {
  CnnStage stage;
  stage.channels = s.positive<std::int64_t>("channels");
  stage.blocks = s.positive<std::int64_t>("blocks", stage.blocks);
  stage.kernel = s.positive<std::int64_t>("kernel", stage.kernel);
  if (stage.kernel % 2 == 0) s.fail("kernel", "must be odd (the padding keeps the grid size)");
  stage.stride = s.positive<std::int64_t>("stride", stage.stride);
  stage.pool = s.positive<std::int64_t>("pool", stage.pool);
  s.finish();
  return stage;
}

}  // namespace

CnnSettings parse_cnn_settings(const config::Section& section) {
  CnnSettings s;
  s.in_channels = section.positive<std::int64_t>("in_channels", s.in_channels);
  for (const config::Section& stage : section.sections("stages")) s.stages.push_back(parse_stage(stage));
  if (s.stages.empty()) section.fail("stages", "needs at least one stage");
  s.pool = section.one_of("pool", {"max", "avg"}, "max") == "max" ? CnnPool::max : CnnPool::avg;
  s.residual = section.get<bool>("residual", s.residual);
  s.output_size = section.non_negative<std::int64_t>("output_size", s.output_size);
  const double p = section.in_range("dropout", 0.0, 1.0, s.dropout);
  if (p >= 1.0) section.fail("dropout", "must be below 1");
  s.dropout = static_cast<float>(p);
  s.seed = static_cast<std::uint64_t>(section.non_negative<std::int64_t>("seed", 1));
  section.finish();
  return s;
}

std::unique_ptr<Encoder> cnn_factory(const config::Section& section, const BuildContext& context) {
  return std::make_unique<CnnEncoder>(parse_cnn_settings(section), context.initialise);
}

}  // namespace recur::encoders
