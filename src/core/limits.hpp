// The largest sizes the course accepts, from the command line and from a weight file's
// metadata alike: BERT-large's width and depth (1024, 24) with room for a 4·d_model hidden
// layer and some. Every lesson runs at each of them in seconds
// (tests/lessons/test_bounds.cpp); beyond, a teaching model only exhausts memory.
#pragma once

namespace tfm {

constexpr long kMaxDModel = 1024;     // --d-model, and --heads (a head is at least one column)
constexpr long kMaxDff = 8192;        // --d-ff
constexpr long kMaxLayers = 24;       // --layers, and a checkpoint's encoder_layers, decoder_layers
constexpr long kMaxPad = 1000;        // --pad
constexpr long kMaxPositions = 4096;  // a checkpoint's learned positions (GPT-2: 1024)
// A checkpoint's vocabulary: the four specials up to a large word-level vocabulary.
constexpr long kMinVocab = 4, kMaxVocab = 1000000;

}  // namespace tfm
