# Transformer lessons in C++ — one Makefile for the course.
#
#   make            build the core library, every lesson, tool and test
#   make lessons    install what is missing, build, run every lesson (01 …) in order
#                   (on a terminal, one at a time: Enter for the next, q to quit)
#   make lesson N=03 [ARGS="--mask causal"]   build and run one lesson
#   make test       build and run every test (plain and under ASan+UBSan);
#                   ends with the line "N passed, M failed"
#   make exercises  build the exercise tests against YOUR files in lessons/exercises/
#   make bench      forward / training-step timings at 1 and 2 threads, beside PyTorch's
#                   (BENCH_THREADS="1 2", BENCH_ARGS="--quick")
#   make book       every lesson as a web page, book/index.html (opens offline)
#   make book-check open every page in headless Chromium: no errors, nothing blank or
#                   overflowing; screenshots in book/screenshots/
#   make fuzz       libFuzzer (clang) on the readers, FUZZ_RUNS=1000000 executions each
#   make CXX=clang++ [test]   the same with clang, in build-clang/
#   make clean
#
# The core in src/ is compiled once into build/libtfm.a; lessons, tools and tests
# link it. -MMD -MP track header dependencies, so an edit rebuilds what it must.
# Every target builds on all cores unless you say otherwise (make -j1 …).

# (A recursive make shares its parent's job slots.)
NPROC    := $(shell nproc 2>/dev/null || echo 1)
ifeq ($(MAKELEVEL)$(filter -j% j%,$(MAKEFLAGS)),0)
  MAKEFLAGS += -j$(NPROC)
endif

# `make CXX=clang++ …` builds with clang instead, in folders of its own (build-clang,
# build-clang-asan): objects and precompiled headers belong to one compiler.
CLANG    := $(findstring clang,$(CXX))
PLAIN_BUILD := build$(if $(CLANG),-clang)
ASAN_BUILD  := $(PLAIN_BUILD)-asan
BUILD    ?= $(PLAIN_BUILD)
VERSION  := 1.0
# ccache (installed with the other packages) makes rebuilds after a merge nearly free.
# Looked up at each compile: the first build may be the one that installs it.
CCACHE    = $(shell command -v ccache 2>/dev/null)
CXX       = $(CCACHE) g++
export CCACHE_NOHASHDIR := 1
export CCACHE_BASEDIR := $(CURDIR)
# What ccache needs to cache compiles that use the precompiled header.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
OPT      ?= -O2
SAN      ?=
# ARMA_DONT_USE_WRAPPER: call OpenBLAS (BLAS + LAPACK) directly, not through
# libarmadillo's run-time wrapper, so the BLAS that runs is the one we name here.
# Every file starts with Armadillo, precompiled once per build folder ($(BUILD)/pch).
PCH_HDR   = $(BUILD)/pch/pch.hpp
# (clang reads HEADER.pch, g++ HEADER.gch, each finding it through -include HEADER.)
PCH       = $(PCH_HDR)$(if $(CLANG),.pch,.gch)
CPPFLAGS  = -Isrc -Ilessons/exercises -Itests -DARMA_DONT_USE_WRAPPER -MMD -MP -include $(PCH_HDR) -Winvalid-pch
# -g1: line tables only (file:line in backtraces and sanitizer reports), a third less
# compile time than -g; `make DEBUG=-g` for variables in gdb too.
DEBUG    ?= -g1
CXXFLAGS  = -std=c++17 $(OPT) $(DEBUG) -Wall -Wextra $(SAN)
LDFLAGS   = $(SAN)
LDLIBS    = -lopenblas -lboost_locale -lpthread
# Catch2 v3 (Debian 13) is a compiled library; v2 (Debian 12) is a header alone.
CATCH_LIBS ?= $(if $(wildcard /usr/include/catch2/catch_all.hpp),-lCatch2)

ifeq ($(SANITIZE),1)
  BUILD    = $(ASAN_BUILD)
  # -O1 with the sanitizers makes GCC 12 warn falsely inside std::regex (used by cxxopts).
  # UBSan's pointer checks (null, alignment, object size, vptr, pointer overflow) double the
  # compile time of Armadillo's templates, and ASan already stops a bad access: they are
  # left out (measured: one test file 8.1 s of CPU with them, 5.9 s without, 5.8 s with
  # ASan alone). `make test-sanitize UBSAN_POINTERS=1` puts them back.
  ifeq ($(UBSAN_POINTERS),)
    UBSAN_OFF = -fno-sanitize=vptr,alignment,null,object-size,nonnull-attribute,returns-nonnull-attribute,pointer-overflow
  endif
  SAN      = -fsanitize=address,undefined $(UBSAN_OFF) -fno-omit-frame-pointer -fno-sanitize-recover=undefined $(if $(CLANG),,-Wno-maybe-uninitialized)
  OPT      = -O1
endif

# The fuzz build (make fuzz): clang, the library and the targets of tests/fuzz/ instrumented
# for libFuzzer, with ASan and UBSan; each target linked with libFuzzer's main.
ifeq ($(FUZZ),1)
  BUILD    = build-fuzz
  SAN      = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT      = -O1
endif
FUZZ_TARGETS := npy safetensors tokenizer vocab checkpoint
# Executions per target (libFuzzer's -runs); FUZZ_SECONDS, when set, caps each target's time.
FUZZ_RUNS    ?= 1000000
FUZZ_SECONDS ?=

SRC        := $(sort $(wildcard src/*/*.cpp))
OBJ        := $(SRC:%.cpp=$(BUILD)/obj/%.o)
LIB        := $(BUILD)/libtfm.a

LESSON_SRC := $(sort $(wildcard lessons/[0-9][0-9]_*.cpp))
LESSONS    := $(LESSON_SRC:lessons/%.cpp=$(BUILD)/lessons/%)
TOOL_SRC   := $(sort $(wildcard tools/*.cpp))
TOOLS      := $(TOOL_SRC:tools/%.cpp=$(BUILD)/tools/%)

# Unit tests: every tests/<dir>/*.cpp except the exercise tests, plus the one runner.
UNIT_SRC   := $(sort $(filter-out tests/exercises/%,$(wildcard tests/*/*.cpp)))
UNIT_OBJ   := $(UNIT_SRC:%.cpp=$(BUILD)/obj/%.o)
RUNNER_OBJ := $(BUILD)/obj/tests/main.o
# Exercise checks are shared by the exercise tests and the bug zoo (a unit test).
CHECKS_OBJ := $(patsubst %.cpp,$(BUILD)/obj/%.o,$(sort $(wildcard tests/exercises/checks_*.cpp)))
EXTEST_OBJ := $(BUILD)/obj/tests/exercises/test_exercises.o

EX_LEARNER := $(sort $(wildcard lessons/exercises/[0-9][0-9]_*.cpp))
EX_SOLN    := $(sort $(wildcard lessons/exercises/solutions/[0-9][0-9]_*.cpp))

.PHONY: all lessons lesson test test-plain test-sanitize exercises bench clean deps format book book-check fuzz fuzz-targets
.DEFAULT_GOAL := all
# Keep object files of lessons and tools (otherwise make deletes them as intermediates).
.SECONDARY:

CATALOGUE = $(BUILD)/locale/zh/LC_MESSAGES/tfm.mo
EXERCISE_BINS := $(if $(wildcard tests/exercises/test_exercises.cpp),$(BUILD)/tests/exercises_solutions $(BUILD)/tests/exercises_stubs)

all: $(LIB) $(LESSONS) $(TOOLS) $(BUILD)/tests/unit $(EXERCISE_BINS) $(CATALOGUE)

# The Chinese catalogue (src/core/i18n.hpp), compiled from po/zh/*.po with msgcat and
# msgfmt (Debian's gettext); every program finds it in its build's locale/ folder.
#   python3 tools/po.py update   after adding or changing a message: new ones to translate
#   python3 tools/po.py check    the catalogue test (make test runs it)
$(CATALOGUE): $(wildcard po/zh/*.po) tools/po.py | $(DEPS_STAMP)
	python3 tools/po.py mo $@

# Install what a fresh Debian machine lacks (only from Debian's archive), once per build
# folder: every compile waits for the stamp, so none starts before g++ is there.
DEPS_STAMP = $(BUILD)/.deps-installed
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/install-deps.sh
	@CXX="$(CXX)" sh tools/install-deps.sh
	@mkdir -p $(dir $@) && touch $@

# The precompiled header, compiled with exactly the flags of the files that use it.
$(PCH_HDR): src/pch.hpp | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	cp $< $@
$(PCH): $(PCH_HDR)
	$(CXX) $(filter-out -include $(PCH_HDR),$(CPPFLAGS)) $(CXXFLAGS) -x c++-header $< -o $@

# The version and the commit --version prints: rewritten only when they change.
COMMIT      := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
VERSION_HDR  = $(BUILD)/gen/tfm_version.hpp
$(VERSION_HDR): FORCE
	@mkdir -p $(dir $@)
	@printf '#define TFM_VERSION "%s"\n#define TFM_COMMIT "%s"\n' '$(VERSION)' '$(COMMIT)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/obj/src/cli/options.o: $(VERSION_HDR)
$(BUILD)/obj/src/cli/options.o: CPPFLAGS += -I$(BUILD)/gen
FORCE:
# ops/exp.cpp promises the same bits on every processor. GCC 12 fuses a * b + c into one
# rounding wherever the processor can (its C++ modes do by default), and exp's AVX2 and
# AVX-512 clones can: not in this file.
$(BUILD)/obj/src/ops/exp.o: CXXFLAGS += -ffp-contract=off
# The softmax's and the cross-entropy's passes over whole matrices: at -O2 GCC 12 puts a loop
# on vector registers only when its length is a multiple of the vector's, and these loops'
# lengths are the matrices'. The vectorised loops add and compare in the same order, so
# they give the same bits (the vectoriser reorders no sum unless told -ffast-math). (clang
# has no such option and vectorises these loops at -O2.)
$(BUILD)/obj/src/ops/softmax.o $(BUILD)/obj/src/train/cross_entropy.o: CXXFLAGS += $(if $(CLANG),,-fvect-cost-model=dynamic)

$(BUILD)/obj/%.o: %.cpp $(PCH) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(LIB): $(OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lessons/%: $(BUILD)/obj/lessons/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Tests that run lessons need to know where the binaries are.
$(BUILD)/obj/tests/lessons/%.o: CPPFLAGS += -DLESSON_DIR='"$(BUILD)/lessons"' -DTOOL_DIR='"$(BUILD)/tools"'

$(BUILD)/tests/unit: $(RUNNER_OBJ) $(UNIT_OBJ) $(CHECKS_OBJ) $(LIB) | $(LESSONS) $(TOOLS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $(filter %.o %.a,$^) $(CATCH_LIBS) $(LDLIBS) -o $@

# The exercise tests, linked three ways: your files, the reference solutions, and the
# pristine stubs (tests/exercises/stubs/, the files as shipped, which your commits in
# lessons/exercises/ do not change).
$(BUILD)/tests/exercises_%: $(RUNNER_OBJ) $(EXTEST_OBJ) $(CHECKS_OBJ) $(BUILD)/ex_%.a $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ $(CATCH_LIBS) $(LDLIBS) -o $@

EX_STUBS   := $(EX_LEARNER:lessons/exercises/%=tests/exercises/stubs/%)
# Your files: one that does not compile is replaced by its pristine stub, so that every
# other exercise is still checked; the compiler's message is kept in $(BUILD)/learner/
# for tools/exercise-progress.sh.
$(BUILD)/ex_learner.a: $(EX_LEARNER:lessons/exercises/%.cpp=$(BUILD)/learner/%.o)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/learner/%.o: lessons/exercises/%.cpp $(BUILD)/obj/tests/exercises/stubs/%.o $(PCH)
	@mkdir -p $(dir $@)
	@if $(CXX) $(CPPFLAGS) $(CXXFLAGS) -fdiagnostics-color=never -c $< -o $@ 2> $(@:.o=.err); then \
	  rm -f $(@:.o=.err); \
	else \
	  echo "$<: does not compile (its stub is used meanwhile); the first error:" >&2; \
	  grep -m1 -E ':[0-9]+:[0-9]+: (fatal )?error' $(@:.o=.err) >&2 || head -n 5 $(@:.o=.err) >&2; \
	  cp $(BUILD)/obj/tests/exercises/stubs/$*.o $@; \
	fi
$(BUILD)/ex_solutions.a: $(EX_SOLN:%.cpp=$(BUILD)/obj/%.o)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/ex_stubs.a: $(EX_STUBS:%.cpp=$(BUILD)/obj/%.o)
	rm -f $@ && ar rcs $@ $^

# On a terminal one lesson at a time (Enter: next, q: quit); in CI or a pipe, all at once.
lessons: $(LESSONS) $(CATALOGUE)
	@sh tools/run-lessons.sh $(LESSONS)

LESSON_ONE = $(filter $(BUILD)/lessons/$(N)_%,$(LESSONS))
lesson:
	@test -n "$(N)" || { echo "make lesson: say which, e.g. make lesson N=03" >&2; exit 2; }
	@test -n "$(LESSON_ONE)" || { echo "make lesson: no lesson $(N) (there are $(notdir $(firstword $(LESSONS))) … $(notdir $(lastword $(LESSONS))))" >&2; exit 2; }
	@$(MAKE) --no-print-directory $(LESSON_ONE) $(CATALOGUE)
	@./$(LESSON_ONE) $(ARGS)

# Tests run single-threaded in BLAS so sums repeat to the last bit.
# PyTorch (Debian's python3-torch, about 80 MB) is the independent reference of the bridge
# checks: make test and make bench install it; make lessons does not need it.
TORCH_PKGS = python3-torch python3-numpy
test: $(DEPS_STAMP)
	@CXX="$(CXX)" sh tools/install-deps.sh $(TORCH_PKGS)
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh $(PLAIN_BUILD) $(ASAN_BUILD)

test-plain: all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh $(PLAIN_BUILD)

test-sanitize: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh $(ASAN_BUILD)

# libFuzzer on every target of tests/fuzz/, FUZZ_RUNS executions each, starting from the
# committed seed corpus; a finding is kept in build-fuzz/crashes/ and fails the target.
# Needs clang. Measured 2026-12-02 here, machine shared, 1,000,000 executions, no finding
# (time, cov / ft): npy 246 s, 367 / 751; safetensors 322 s, 1925 / 6517; tokenizer 345 s,
# 262 / 1389; vocab 680 s, 389 / 1983; checkpoint 2,177 s, 2841 / 9139 (a busier machine).
fuzz: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory CXX=clang++ FUZZ=1 fuzz-targets
	@sh tools/run-fuzz.sh build-fuzz "$(FUZZ_RUNS)" "$(FUZZ_SECONDS)" $(FUZZ_TARGETS)

FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
fuzz-targets: $(FUZZ_BINS)
$(BUILD)/obj/tests/fuzz/fuzz_%.o: CPPFLAGS += $(if $(filter 1,$(FUZZ)),-DTFM_LIBFUZZER)
$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/fuzz_support.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(filter-out -fsanitize=fuzzer-no-link%,$(LDFLAGS)) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS) -o $@

exercises: $(BUILD)/tests/exercises_learner
	@sh tools/exercise-progress.sh $(BUILD)/tests/exercises_learner $(BUILD)/learner

# make bench [BENCH_THREADS="1 2"] [BENCH_ARGS="--quick gpt …"]: the table at each thread
# count (default 1 and 2), ours beside PyTorch's; bench/run.sh says what each column is.
bench: all
	@CXX="$(CXX)" sh tools/install-deps.sh $(TORCH_PKGS)
	@sh bench/run.sh $(BUILD) $(if $(BENCH_THREADS),--threads "$(BENCH_THREADS)") $(BENCH_ARGS)

book: $(LESSONS)
	@sh tools/make-book.sh $(BUILD)/lessons book

book-check: book
	@sh tools/book-check.sh book

# Lays out every C++ file as .clang-format says (tools/check-format.sh checks it in make test).
format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build build-asan build-clang build-clang-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
