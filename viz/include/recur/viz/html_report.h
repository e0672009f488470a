// One self-contained HTML page (no network, no script): figures as inline SVG, each in a
// <section class="panel"> with its heading and caption; hovering a hotspot (an attention
// cell, a validation point) shows its value through an SVG <title>.
#pragma once

#include <string>
#include <vector>

#include "recur/viz/figure.h"

namespace recur::viz {

struct ReportPanel {
  std::string heading;
  std::string caption;  // plain text, escaped
  Figure figure;
};

std::string html_report(const std::string& title, const std::vector<ReportPanel>& panels);

}  // namespace recur::viz
