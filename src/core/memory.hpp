// The C library's allocator, tuned for a training loop.
//
// glibc hands large blocks (≥ 128 KB at first) straight from mmap and gives freed memory at
// the top of the heap back to the system. A training step frees and re-allocates the same
// large matrices every time, so each step would pay for fresh pages again: a page fault and
// a zero-fill per 4 KB (a third of the small configuration's step time, measured with perf).
// keep_freed_memory() makes freed blocks stay in the process for reuse. Call it once, first
// thing in main (guarded_main does).
#pragma once

namespace tfm {

void keep_freed_memory();

}  // namespace tfm
