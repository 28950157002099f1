// The precompiled header. The Makefile compiles it once per build folder (build/pch/,
// build-asan/pch/, with that folder's flags) and gives it to every file with -include:
// parsing Armadillo took about half of each file's compile time.
// Only what every part of the course uses belongs here; include what you use as well.
#ifndef TFM_PCH_HPP
#define TFM_PCH_HPP
#include <armadillo>
#endif
