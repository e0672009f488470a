// The figures of `recur plot` and `recur report`, built from the records and logs above.
#pragma once

#include <filesystem>
#include <vector>

#include "recur/viz/attention_records.h"
#include "recur/viz/confidence_records.h"
#include "recur/viz/figure.h"
#include "recur/viz/training_log.h"

namespace recur::viz {

// Target pieces (rows) against source pieces (columns), with a colour bar.
Figure attention_figure(const TextAttention& record);

// Steps of a generated line along x (wrapping into bands), its top-k candidates down each
// column coloured by probability with their pieces, the chosen piece under the column and
// outlined where it is among them. Hotspots: the cells.
Figure confidence_figure(const TokenConfidence& record);

// One panel per generated word: the image (from `image_root` / record.path unless the path
// is absolute) with that word's attention over it, the word under it.
Figure image_attention_figure(const ImageAttention& record,
                              const std::filesystem::path& image_root);

// Panels of training loss, perplexity, learning rate, gradient norm and every validation
// metric against step; the runs overlaid in distinct colours.
Figure training_figure(const std::vector<TrainingRun>& runs);

}  // namespace recur::viz
