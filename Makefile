# Transformer lessons in C++ — one Makefile for the course.
#
#   make            build the core library, every lesson, tool and test
#   make lessons    install what is missing, build, run lessons 01 … 09 in order
#   make test       build and run every test (plain and under ASan+UBSan);
#                   ends with the line "N passed, M failed"
#   make exercises  build the exercise tests against YOUR files in lessons/exercises/
#   make bench      forward / training-step timings (and PyTorch's, when installed)
#   make clean
#
# The core in src/ is compiled once into build/libtfm.a; lessons, tools and tests
# link it. -MMD -MP track header dependencies, so an edit rebuilds what it must.

BUILD    ?= build
# ccache, when installed, makes rebuilds after a merge nearly free (optional).
CCACHE   := $(shell command -v ccache 2>/dev/null)
CXX      := $(CCACHE) g++
export CCACHE_NOHASHDIR := 1
export CCACHE_BASEDIR := $(CURDIR)
OPT      ?= -O2
SAN      ?=
# ARMA_DONT_USE_WRAPPER: call OpenBLAS (BLAS + LAPACK) directly, not through
# libarmadillo's run-time wrapper, so the BLAS that runs is the one we name here.
CPPFLAGS  = -Isrc -Ilessons/exercises -Itests -DARMA_DONT_USE_WRAPPER -MMD -MP
CXXFLAGS  = -std=c++17 $(OPT) -g -Wall -Wextra $(SAN)
LDFLAGS   = $(SAN)
LDLIBS    = -lopenblas -lpthread

ifeq ($(SANITIZE),1)
  BUILD    = build-asan
  # -O1 with the sanitizers makes GCC 12 warn falsely inside std::regex (used by cxxopts).
  SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized
  OPT      = -O1
endif

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
CHECKS_OBJ := $(if $(wildcard tests/exercises/checks.cpp),$(BUILD)/obj/tests/exercises/checks.o)
EXTEST_OBJ := $(BUILD)/obj/tests/exercises/test_exercises.o

EX_LEARNER := $(sort $(wildcard lessons/exercises/[0-9][0-9]_*.cpp))
EX_SOLN    := $(sort $(wildcard lessons/exercises/solutions/[0-9][0-9]_*.cpp))

.PHONY: all lessons test test-plain test-sanitize exercises bench clean deps
.DEFAULT_GOAL := all
# Keep object files of lessons and tools (otherwise make deletes them as intermediates).
.SECONDARY:

EXERCISE_BINS := $(if $(wildcard tests/exercises/test_exercises.cpp),$(BUILD)/tests/exercises_solutions $(BUILD)/tests/exercises_stubs)

all: deps $(LIB) $(LESSONS) $(TOOLS) $(BUILD)/tests/unit $(EXERCISE_BINS)

# Install what a fresh Debian machine lacks (only from Debian's archive).
deps:
	@sh tools/install-deps.sh

$(BUILD)/obj/%.o: %.cpp
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
	$(CXX) $(LDFLAGS) $(filter %.o %.a,$^) $(LDLIBS) -o $@

# The exercise tests, linked three ways: your files, the reference solutions, and the
# untouched stubs (taken from git's HEAD when you have edited them).
$(BUILD)/tests/exercises_%: $(RUNNER_OBJ) $(EXTEST_OBJ) $(CHECKS_OBJ) $(BUILD)/ex_%.a $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/ex_learner.a: $(EX_LEARNER:%.cpp=$(BUILD)/obj/%.o)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/ex_solutions.a: $(EX_SOLN:%.cpp=$(BUILD)/obj/%.o)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/ex_stubs.a: $(EX_LEARNER:lessons/exercises/%.cpp=$(BUILD)/obj/stubs/%.o)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/stubs/%.cpp: lessons/exercises/%.cpp
	@mkdir -p $(dir $@)
	@git show HEAD:$< > $@ 2>/dev/null || cp $< $@
$(BUILD)/obj/stubs/%.o: $(BUILD)/stubs/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

lessons: deps $(LESSONS)
	@for l in $(LESSONS); do \
	  printf '\n\033[1m════════ %s ════════\033[0m\n\n' "$$(basename $$l)"; \
	  ./$$l || exit $$?; \
	done

# Tests run single-threaded in BLAS so sums repeat to the last bit.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh build build-asan

test-plain: all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh build

test-sanitize: deps
	@$(MAKE) --no-print-directory SANITIZE=1 all
	@OPENBLAS_NUM_THREADS=1 sh tools/run-tests.sh build-asan

exercises: deps $(BUILD)/tests/exercises_learner
	@sh tools/exercise-progress.sh $(BUILD)/tests/exercises_learner

bench: deps all
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
