#ifndef LEEWAY_CPREFETCH_H
#define LEEWAY_CPREFETCH_H

/// Cache hints for the engine's hot loops (no effect on results: a prefetch only moves memory
/// into the cache earlier). Swift has no prefetch intrinsic, so the compiler builtin is wrapped
/// here; the functions are static inline, so Swift inlines them like its own code.

/// Asks the CPU to bring the cache line at `address` in for reading (keep in all cache levels).
static inline void leeway_prefetch_read(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Asks the CPU to bring the cache line at `address` in for writing.
static inline void leeway_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
