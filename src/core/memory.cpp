#include "core/memory.hpp"

#include <cstdlib>  // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tfm {

void keep_freed_memory() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);   // blocks below 256 MB come from the heap
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);  // keep up to 1 GB of freed heap
#endif
}

}  // namespace tfm
