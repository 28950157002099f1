// Data parallelism on the machine's cores, the way multi-GPU training splits a batch.
//
// A batch is cut into `parts` runs of consecutive pairs. Part 0 goes forward and backward
// through the model itself; every other part through its own copy of the model (a
// replica, refreshed from the model's parameters first), each on its own thread when the
// machine has the cores; then the replicas' gradients are added into the model's, in
// part order. Gradients add across
// pairs, so the sum is the whole batch's gradient. The cut and the order of the sum do not
// depend on the number of cores, so the result is the same bit for bit on any machine,
// threads or not.
//
// Small models gain the most: their matrix products are too small for OpenBLAS to share
// one product between cores, but two halves of a batch keep both cores busy. The cores
// now belong to the parts (PartThreads, below, which train/batch_parts.hpp uses too).
#pragma once
#include "model/transformer.hpp"
#include "train/batch.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tfm {

// One long-lived thread that runs one job at a time (starting a thread for every step
// would cost a fresh stack, and its page faults, every step).
class Worker {
public:
    Worker();
    ~Worker();  // finishes the job in hand, then joins
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start(std::function<void()> job);  // the previous job must have been waited for
    void wait();

private:
    void loop();
    std::mutex mutex_;
    std::condition_variable changed_;
    std::function<void()> job_;
    bool busy_ = false, stop_ = false;
    std::thread thread_;
};

// The threads of data parallelism: parts − 1 workers beside the calling thread, which runs
// part 0. While they exist OpenBLAS runs every product on the thread that called it (the
// destructor gives OpenBLAS back its threads): OpenBLAS's own idle threads would otherwise
// spin on the cores the parts need. With threads = false, one part or one core: no workers,
// and every part on the calling thread, one after another (the same result).
class PartThreads {
public:
    PartThreads(std::size_t parts, bool threads);
    ~PartThreads();
    PartThreads(const PartThreads&) = delete;
    PartThreads& operator=(const PartThreads&) = delete;

    // job(0) … job(used − 1), used ≤ parts; the first error is rethrown once every part
    // has finished.
    void run(std::size_t used, const std::function<void(std::size_t)>& job);

private:
    std::vector<std::unique_ptr<Worker>> workers_;  // parts − 1 of them, or none
    int saved_blas_threads_ = 0;                    // OpenBLAS's threads before; 0: untouched
};

class DataParallel {
public:
    // parts ≥ 1; threads = false runs the parts one after another (the same result).
    DataParallel(Transformer& model, arma::uword parts, bool threads = true);
    DataParallel(const DataParallel&) = delete;
    DataParallel& operator=(const DataParallel&) = delete;

    // The batch's gradient ADDED into the model's, like accumulate_gradients(model, …):
    // dlogits scaled by 1 / normalizer. Returns the summed (unscaled) loss.
    double accumulate(const Batch& batch, double normalizer, double label_smoothing = 0.0);

    arma::uword parts() const { return static_cast<arma::uword>(replicas_.size()) + 1; }

private:
    Transformer& model_;
    std::vector<Transformer> replicas_;  // parts − 1 copies
    ParamList model_params_;             // the model's parameters, then each replica's
    std::vector<ParamList> replica_params_;
    PartThreads threads_;
};

// The pairs [first, last) of a batch, still padded to the whole batch's lengths.
Batch slice_batch(const Batch& batch, std::size_t first, std::size_t last);

}  // namespace tfm
