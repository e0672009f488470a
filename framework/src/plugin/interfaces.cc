// Out-of-line destructors: they anchor the type information of every component
// interface in librecur, so dynamic_cast works across plugin boundaries.
#include "recur/decoder.h"
#include "recur/encoder.h"
#include "recur/hidden_states.h"
#include "recur/output_subset.h"
#include "recur/pipeline/forecaster.h"
#include "recur/plugin/component.h"
#include "recur/preprocessor.h"
#include "recur/surface_tokenizer.h"
#include "recur/tokenizer.h"

namespace recur {

Component::~Component() = default;
Tokenizer::~Tokenizer() = default;
Preprocessor::~Preprocessor() = default;
Encoder::~Encoder() = default;
DecoderState::~DecoderState() = default;
Decoder::~Decoder() = default;
Forecaster::~Forecaster() = default;
HiddenStateReader::~HiddenStateReader() = default;
SurfaceTokenizer::~SurfaceTokenizer() = default;
OutputSubset::~OutputSubset() = default;

}  // namespace recur
