#include "corpus.h"

namespace recur::metrics::detail {

std::vector<std::string_view> usable_references(const std::vector<std::string_view>& references) {
  // sacreBLEU drops empty references (segments may have fewer references than others).
  std::vector<std::string_view> out;
  for (std::string_view r : references) {
    if (!r.empty()) out.push_back(r);
  }
  if (out.empty()) throw Error("no non-empty reference");
  return out;
}

}  // namespace recur::metrics::detail
