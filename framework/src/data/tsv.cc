#include "recur/data/tsv.h"

#include "recur/core/error.h"
#include "recur/data/line_reader.h"

namespace recur::data {

std::vector<TsvRow> read_tsv(std::istream& in, const std::string& name, bool extra_tabs) {
  LineReader reader(in, name);
  std::vector<TsvRow> rows;
  for (Line& line : reader.next(SIZE_MAX)) {
    const std::string where = name + ":" + std::to_string(line.number) + ": ";
    const std::size_t tab = line.text.find('\t');
    if (tab == std::string::npos) throw IoError(where + "no TAB (expected key<TAB>value)");
    if (tab == 0) throw IoError(where + "empty key before the TAB");
    if (!extra_tabs && line.text.find('\t', tab + 1) != std::string::npos) {
      throw IoError(where + "more than one TAB (expected key<TAB>value)");
    }
    rows.push_back({line.number, line.text.substr(0, tab), line.text.substr(tab + 1)});
  }
  return rows;
}

}  // namespace recur::data
