// Reads what `recur train` logs: train_log.csv (header "step,epoch,loss,ppl,lr,grad_norm,
// tokens_per_s", one row per log interval) and valid_log.csv (no header, one row per
// validation: "step,name=value,..."). Errors name FILE:LINE and the field or column.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace recur::viz {

struct TrainRow {
  std::int64_t step = 0;
  double loss = 0;
  // NaN where the log has no such column.
  double ppl, lr, grad_norm;
};

struct ValidRow {
  std::int64_t step = 0;
  std::map<std::string, double> metrics;  // e.g. bleu, chrf, loss, ppl
};

struct TrainingRun {
  std::string name;  // the run folder's name, or the CSV's stem
  std::vector<TrainRow> train;
  std::vector<ValidRow> valid;
};

// A run folder (its train_log.csv and, if present, valid_log.csv) or one of the CSV files
// (told apart by the train log's header).
TrainingRun read_training_run(const std::filesystem::path& path);

std::vector<TrainRow> read_train_log(const std::filesystem::path& file);
std::vector<ValidRow> read_valid_log(const std::filesystem::path& file);

}  // namespace recur::viz
