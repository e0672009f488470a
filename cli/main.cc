#include "app.h"

int main(int argc, char** argv) {
  return recur::cli::run_app(std::vector<std::string>(argv + 1, argv + argc));
}
