// What a run of a stack needs, estimated from the shapes before anything is allocated:
// the bytes checked against the memory budget (core/budget.hpp) and the multiply-adds
// checked against the work a lesson may take. The estimate is deliberately generous
// (tests/model/test_footprint.cpp measures it against real runs): it must never be far
// below what the run allocates, and a factor of a few above costs nothing.
//
// With n rows (tokens), m memory rows, d = d_model, f = d_ff, h heads, L layers,
// V embedding rows, b sequences in the batch (n and m count all their rows), in doubles:
//   parameters per layer   P = 4d² + 2df (+ 4d² cross-attention) + biases and norms
//   kept per layer         self-attention 10·n·d + 4·h·n²/b,  cross 14·n·d + 4·h·n·m/b,
//                          FFN 4·n·f + 4·n·d,  each norm 6·n·d
//   embedding              2·V·d + n·V (lesson 01's one-hot) + 6·n·d
//   total                  2 · (L · (copies · P + kept) + embedding)
// where copies counts the value, its gradient, the optimiser's moments and one gradient
// per data-parallel part, and the outer 2 covers temporaries and the printer's copies.
// Multiply-adds, forward: 4·n·d² + 2·n²·d/b (+ 2·n·d² + 2·m·d² + 2·n·m·d/b) + 2·n·d·f per
// layer and n·V·d for the one-hot product; three times that with the backward pass.
#pragma once
#include "nn/layer_config.hpp"

#include <cstdint>

namespace tfm {

struct StackRun {
    LayerConfig layer;
    std::uint64_t layers = 1;
    bool decoder = false;            // cross-attention on the memory in every layer
    std::uint64_t rows = 0;          // n: the tokens (or rows of X) of the whole batch
    std::uint64_t memory_rows = 0;   // m: the rows a decoder attends to (0: n)
    std::uint64_t sequences = 1;     // b: the batch's sequences (attention stays within one)
    std::uint64_t vocab = 0;         // rows of the embedding and generator (0: none)
    std::uint64_t param_copies = 2;  // value and gradient; + 2 for Adam, + 1 per part
};

struct Footprint {
    std::uint64_t bytes = 0;
    std::uint64_t madds = 0;
};

Footprint footprint(const StackRun& run);

// Adds two stacks' footprints (lesson 09's encoder and decoder).
Footprint operator+(const Footprint& a, const Footprint& b);

}  // namespace tfm
