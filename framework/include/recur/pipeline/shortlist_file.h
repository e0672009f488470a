// A vocabulary shortlist in a model folder (search/shortlist.h): its file and the
// pipeline's `search.shortlist` settings.
//
//   search:
//     shortlist:
//       file: shortlist.safetensors  # relative to the YAML (required)
//       top_k: 50                    # candidates per source piece, <= the table's top_k
//       frequent: 1000               # most frequent target pieces always included
//       enabled: true                # false: kept in the folder, used only with --shortlist
//
// The file is a safetensors file (nn/safetensors.h) holding
//   offsets       I64 [source_vocab + 1]  candidates of source id s: targets[offsets[s] .. offsets[s+1])
//   targets       I32 [n]                 target ids, best first per source id
//   by_frequency  I32 [k <= target_vocab] target ids, most frequent first
// and the metadata format "recur-shortlist", version "1", target_vocab, top_k (the most
// candidates a list may hold; optional) and how and from what it was learned (score,
// min_score, pairs, source, target). `recur shortlist` writes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "recur/search/shortlist.h"

namespace recur::config {
class Section;
}

namespace recur {

struct ShortlistSettings {
  std::filesystem::path file;
  search::ShortlistOptions options;
  bool enabled = true;
};

// Reads the `shortlist` key of a `search:` section (nullopt when absent); ConfigError at
// the key for a missing file name or a bad value. The file itself is read later.
std::optional<ShortlistSettings> parse_shortlist_settings(const config::Section& search);

// Reads a shortlist file; any defect (missing, not safetensors, another format, arrays
// that do not fit) is an IoError naming the file.
search::Shortlist load_shortlist(const std::filesystem::path& path);

// Writes it atomically, with `metadata` added to the format's own.
void save_shortlist(const std::filesystem::path& path, const search::Shortlist& table,
                    const std::map<std::string, std::string>& metadata = {});

}  // namespace recur
