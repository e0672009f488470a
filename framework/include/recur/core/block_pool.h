// Large host blocks recycled by size class. A fresh block costs a page fault per 4 KiB
// page on first touch; for the tensors a decoder step or a training step allocates
// (log-probabilities [rows, vocab], RNN workspaces: megabytes each, every step) that is
// a large share of the step. Blocks of at least 1 MiB are rounded up to a size class
// (at most 1/8 larger), mapped directly (from 2 MiB on, 2 MiB-aligned and advised to use
// transparent huge pages), and kept on release for the next request of
// that class or one up to half its size; the pool holds at most 1 GiB (environment
// variable RECUR_BLOCK_POOL_MB; 0 turns it off) and unmaps the blocks released longest
// ago first, and any block that has waited 2 seconds: a job keeps the sizes it uses
// steadily, not every size it ever met. Nor does it keep them beyond its peak: before a
// new block is mapped, the oldest free ones go until everything mapped (lent, free, new)
// fits in a quarter more than the most the job ever had lent at once (a translation job
// held 85 MB of free blocks beside 110 MB in use, and more as rarer batch shapes came
// with a larger input). Smaller blocks go straight to malloc. A training step at the
// shipped configuration frees and reallocates most of a gigabyte: with a 512 MiB pool it
// ran 25% slower, spending seconds in the kernel mapping pages.
#pragma once

#include <chrono>
#include <cstddef>

namespace recur {

struct Block {
  void* data = nullptr;    // 64-byte aligned
  std::size_t capacity = 0;  // >= the bytes asked for
  bool zeroed = false;     // freshly mapped: every byte is 0 (the kernel's zero pages)
};

// A block of at least `bytes` (uninitialised); std::bad_alloc if memory runs out.
Block take_block(std::size_t bytes);
// Returns a block from take_block().
void give_block(Block block);
// Bytes held for reuse (tests, diagnostics).
std::size_t pooled_block_bytes();
// Unmaps the pooled blocks released more than `idle` ago (0: every pooled block); returns
// their bytes. The pool does this itself for blocks idle 2 seconds, at its next use.
std::size_t release_idle_blocks(std::chrono::milliseconds idle);

}  // namespace recur
