#include "recur/viz/html_report.h"

#include <cstdio>
#include <regex>

namespace recur::viz {
namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

// Cairo's SVG, made fit to sit inline beside others: no XML prolog, ids made unique to the
// figure (every figure names its glyphs "glyph0-1", ...), sizes in pixels, and the
// hotspots as transparent rectangles with a <title> before </svg>.
std::string inline_svg(const Figure& figure, std::size_t index) {
  std::string svg = render(figure, Format::kSvg);
  const std::size_t start = svg.find("<svg");
  if (start != std::string::npos) svg.erase(0, start);
  const std::string prefix = "f" + std::to_string(index) + "-";
  svg = replace_all(svg, "id=\"", "id=\"" + prefix);
  svg = replace_all(svg, "href=\"#", "href=\"#" + prefix);
  svg = replace_all(svg, "url(#", "url(#" + prefix);
  const std::size_t open_end = svg.find('>');
  std::string open = svg.substr(0, open_end);
  open = std::regex_replace(open, std::regex("width=\"[0-9.]+pt\""),
                            "width=\"" + number(figure.width) + "\"");
  open = std::regex_replace(open, std::regex("height=\"[0-9.]+pt\""),
                            "height=\"" + number(figure.height) + "\"");
  svg = open + svg.substr(open_end);
  std::string hotspots = "<g class=\"hotspots\">\n";
  for (const Hotspot& h : figure.hotspots) {
    hotspots += "<rect x=\"" + number(h.rect.x) + "\" y=\"" + number(h.rect.y) + "\" width=\"" +
                number(h.rect.width) + "\" height=\"" + number(h.rect.height) + "\"><title>" +
                escape(h.text) + "</title></rect>\n";
  }
  hotspots += "</g>\n";
  const std::size_t close = svg.rfind("</svg>");
  if (close != std::string::npos) svg.insert(close, hotspots);
  return svg;
}

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { font-size: 22px; }
section.panel { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px;
                margin: 0 0 20px 0; overflow-x: auto; }
section.panel h2 { font-size: 17px; margin: 0 0 6px 0; }
p.caption { margin: 0 0 8px 0; color: #555; }
svg { max-width: 100%; height: auto; display: block; }
.hotspots rect { fill: #000; fill-opacity: 0; pointer-events: all; }
.hotspots rect:hover { fill-opacity: 0.12; stroke: #d62728; stroke-width: 1.5; }
)";

}  // namespace

std::string html_report(const std::string& title, const std::vector<ReportPanel>& panels) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
      escape(title) +
      "</h1>\n<p class=\"caption\">Made by recur. Hover a cell or a "
      "point to read its value.</p>\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const ReportPanel& p = panels[i];
    html += "<section class=\"panel\" id=\"panel-" + std::to_string(i) + "\">\n<h2>" +
            escape(p.heading) + "</h2>\n";
    if (!p.caption.empty()) html += "<p class=\"caption\">" + escape(p.caption) + "</p>\n";
    html += "<div class=\"figure\">\n" + inline_svg(p.figure, i) + "</div>\n</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace recur::viz
