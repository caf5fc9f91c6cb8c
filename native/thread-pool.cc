#include "thread-pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#define MLN_PAUSE() _mm_pause()
#else
#define MLN_PAUSE() std::this_thread::yield()
#endif

namespace mln {
namespace {

struct Job {
  TaskFn fn;
  void* ctx;
  int ntasks;
  std::atomic<int> next{0};
  std::atomic<int> done{0};
};

// How long an idle worker polls for the next job before sleeping.
constexpr auto kSpin = std::chrono::microseconds(300);

thread_local bool t_inside = false;  // running a task (or a worker): nested jobs run inline

class Pool {
 public:
  Pool() { start(initial_size()); }

  int size() const { return size_; }

  void resize(int n) {
    if (n < 1) n = 1;
    if (n > 256) n = 256;
    std::lock_guard<std::mutex> owner(dispatch_);
    if (n == size_) return;
    stop();
    start(n);
  }

  void run(int ntasks, TaskFn fn, void* ctx) {
    if (ntasks <= 0) return;
    if (ntasks == 1) {
      fn(ctx, 0, 0);  // not a task of a job: whatever it runs may still use the pool
      return;
    }
    if (size_ == 1 || t_inside || !dispatch_.try_lock()) {
      for (int t = 0; t < ntasks; t++) fn(ctx, t, 0);
      return;
    }
    Job job;
    job.fn = fn;
    job.ctx = ctx;
    job.ntasks = ntasks;
    current_.store(&job);
    gen_.fetch_add(1);
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lk(sleep_mu_);
      sleep_cv_.notify_all();
    }
    t_inside = true;
    work(&job, 0);
    t_inside = false;
    // Yield now and then: if a worker was preempted mid-task (a busy machine), this lets the OS
    // run it here instead of us spinning through our time slice.
    for (int spins = 0; job.done.load(std::memory_order_acquire) < ntasks; spins++) {
      if ((spins & 255) == 255) std::this_thread::yield();
      else MLN_PAUSE();
    }
    // No worker may touch `job` once it leaves scope.
    current_.store(nullptr);
    while (refs_.load() > 0) MLN_PAUSE();
    dispatch_.unlock();
  }

 private:
  static int initial_size() {
    if (const char* env = std::getenv("MNIST_LAB_NUM_THREADS")) {
      int n = std::atoi(env);
      if (n >= 1) return n > 256 ? 256 : n;
    }
    unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : (int)(hc > 256 ? 256 : hc);
  }

  static void work(Job* job, int thread) {
    for (;;) {
      int t = job->next.fetch_add(1);
      if (t >= job->ntasks) return;
      job->fn(job->ctx, t, thread);
      job->done.fetch_add(1, std::memory_order_release);
    }
  }

  void worker(int index) {
    t_inside = true;
    unsigned seen = gen_.load();
    for (;;) {
      auto until = std::chrono::steady_clock::now() + kSpin;
      int polls = 0;
      while (gen_.load(std::memory_order_acquire) == seen && !quit_.load(std::memory_order_relaxed)) {
        MLN_PAUSE();
        if (++polls == 64) {
          polls = 0;
          std::this_thread::yield();  // runnable threads (ours or not) go first
          if (std::chrono::steady_clock::now() > until) {
            std::unique_lock<std::mutex> lk(sleep_mu_);
            sleeping_.fetch_add(1);
            sleep_cv_.wait(lk, [&] { return gen_.load() != seen || quit_.load(); });
            sleeping_.fetch_sub(1);
            break;
          }
        }
      }
      if (quit_.load()) return;
      seen = gen_.load();
      refs_.fetch_add(1);
      if (Job* job = current_.load()) work(job, index);
      refs_.fetch_sub(1);
    }
  }

  void start(int n) {
    quit_.store(false);
    size_ = n;
    for (int i = 1; i < n; i++) workers_.emplace_back([this, i] { worker(i); });
  }

  void stop() {
    quit_.store(true);
    {
      std::lock_guard<std::mutex> lk(sleep_mu_);
      sleep_cv_.notify_all();
    }
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  std::atomic<int> size_{1};
  std::vector<std::thread> workers_;
  std::mutex dispatch_;  // owned by the thread running a job (or resizing)
  std::atomic<Job*> current_{nullptr};
  std::atomic<unsigned> gen_{0};
  std::atomic<int> refs_{0};
  std::atomic<int> sleeping_{0};
  std::atomic<bool> quit_{false};
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;
};

// Never destroyed: worker threads must not be joined during static destruction at exit.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

int num_threads() { return pool().size(); }
void set_num_threads(int n) { pool().resize(n); }
void parallel_run(int ntasks, TaskFn fn, void* ctx) { pool().run(ntasks, fn, ctx); }

}  // namespace mln
