#include "train/data_parallel.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "train/trainer.hpp"

#include <exception>

// OpenBLAS's own thread count (the library this project links, see the Makefile).
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
}

namespace tfm {

namespace {

arma::uword count_real(const std::vector<TokenIds>& sequences) {
    arma::uword n = 0;
    for (const TokenIds& ids : sequences)
        for (arma::uword id : ids) n += id != Vocab::pad;
    return n;
}

arma::uword checked_parts(arma::uword parts) {
    require(parts >= 1, tr("data parallelism needs at least one part"));
    return parts;
}

}  // namespace

Worker::Worker() : thread_([this] { loop(); }) {}

Worker::~Worker() {
    {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return !busy_; });
        stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void Worker::start(std::function<void()> job) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        job_ = std::move(job);
        busy_ = true;
    }
    changed_.notify_all();
}

void Worker::wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
}

void Worker::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return busy_ || stop_; });
        if (stop_) return;
        lock.unlock();
        job_();  // the jobs catch their own exceptions
        lock.lock();
        busy_ = false;
        changed_.notify_all();
    }
}

Batch slice_batch(const Batch& batch, std::size_t first, std::size_t last) {
    require(first < last && last <= batch.size(),
            "slice_batch: pairs " + std::to_string(first) + " to " + std::to_string(last) +
                " of a batch of " + std::to_string(batch.size()));
    const auto cut = [&](const std::vector<TokenIds>& v) {
        return std::vector<TokenIds>(v.begin() + static_cast<std::ptrdiff_t>(first),
                                     v.begin() + static_cast<std::ptrdiff_t>(last));
    };
    Batch part;
    part.src = cut(batch.src);
    part.tgt_in = cut(batch.tgt_in);
    part.tgt_out = cut(batch.tgt_out);
    part.src_tokens = count_real(part.src);
    part.tgt_tokens = count_real(part.tgt_out);
    return part;
}

PartThreads::PartThreads(std::size_t parts, bool threads) {
    if (!threads || parts < 2 || std::thread::hardware_concurrency() < 2) return;
    saved_blas_threads_ = openblas_get_num_threads();
    openblas_set_num_threads(1);
    for (std::size_t p = 1; p < parts; ++p) workers_.push_back(std::make_unique<Worker>());
}

PartThreads::~PartThreads() {
    workers_.clear();  // joins the threads
    if (saved_blas_threads_ > 0) openblas_set_num_threads(saved_blas_threads_);
}

void PartThreads::run(std::size_t used, const std::function<void(std::size_t)>& job) {
    std::vector<std::exception_ptr> errors(used);
    const auto guarded = [&](std::size_t p) {
        try {
            job(p);
        } catch (...) {
            errors[p] = std::current_exception();
        }
    };
    if (!workers_.empty() && used > 1) {
        for (std::size_t p = 1; p < used; ++p)
            workers_[p - 1]->start([&guarded, p] { guarded(p); });
        guarded(0);
        for (std::size_t p = 1; p < used; ++p) workers_[p - 1]->wait();
    } else {
        for (std::size_t p = 0; p < used; ++p) guarded(p);
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);
}

DataParallel::DataParallel(Transformer& model, arma::uword parts, bool threads)
    : model_(model), threads_(checked_parts(parts), threads) {
    replicas_.reserve(parts - 1);
    for (arma::uword p = 1; p < parts; ++p) replicas_.push_back(model);
    model_params_ = model_.params();
    for (Transformer& replica : replicas_) replica_params_.push_back(replica.params());
}

double DataParallel::accumulate(const Batch& batch, double normalizer, double label_smoothing) {
    const std::size_t n = batch.size();
    require(n > 0, tr("an empty batch"));
    const std::size_t used = std::min<std::size_t>(replicas_.size() + 1, n);

    // Part p holds pairs [p·n/used, (p+1)·n/used): sizes differ by at most one.
    std::vector<Batch> slices;
    for (std::size_t p = 0; p < used; ++p)
        slices.push_back(slice_batch(batch, p * n / used, (p + 1) * n / used));

    // Part 0 runs on the model itself and adds straight into its gradients; part p ≥ 1 on
    // replica p − 1, which first copies the model's parameters. The copying only reads
    // what part 0 also only reads (a forward pass writes caches, not parameters).
    const ParamList& params = model_params_;
    std::vector<double> losses(used, 0.0);
    threads_.run(used, [&](std::size_t p) {
        if (p == 0) {
            losses[0] = accumulate_gradients(model_, slices[0], normalizer, label_smoothing);
            return;
        }
        Transformer& replica = replicas_[p - 1];
        const ParamList& mine = replica_params_[p - 1];
        for (std::size_t i = 0; i < params.size(); ++i) *mine[i].value = *params[i].value;
        replica.zero_grad();
        losses[p] = accumulate_gradients(replica, slices[p], normalizer, label_smoothing);
    });

    double total = losses[0];
    for (std::size_t p = 1; p < used; ++p) {
        const ParamList& grads = replica_params_[p - 1];
        for (std::size_t i = 0; i < params.size(); ++i) *params[i].grad += *grads[i].grad;
        total += losses[p];
    }
    return total;
}

}  // namespace tfm
