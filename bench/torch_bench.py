#!/usr/bin/python3
"""The PyTorch references of tools/bench.cpp, float64, the same configurations, batch and
sequence length, on the same number of threads. Two models per configuration:

  twin  written here by hand like ours: separate wq/wk/wv/wo Linear layers, the heads as
        one batched product, LayerNorm, the FFN (lesson, dates, base: the post-LN
        encoder-decoder with embeddings x sqrt(d_model) + sinusoidal PE and a generator;
        gpt: pre-LN causal blocks, learned positions, a final LN, the output tied to the
        embedding; bert: post-LN, the embedding LN, the masked-LM head, tied; positions:
        lesson 13's pre-LN encoder with RoPE and a linear head; vit: lesson 14's patch
        embedding, [CLS] and positions, pre-LN GELU layers, a final LN, the head on [CLS])
  nn    what a PyTorch user reaches for: nn.Transformer with embeddings and generator
        (tools/pytorch_bridge.py's Seq2SeqTransformer) for lesson/dates/base, and
        nn.TransformerEncoder with the causal mask (gpt: the bridge's TangGpt) or without
        (bert: TangBert), embeddings and the tied output; vit: the bridge's DigitVit on
        nn.TransformerEncoder. nn has no RoPE: none for positions.

Prints "MODEL CONFIG fwd_median fwd_min fwd_max step_median step_min step_max" (ms),
MODEL twin or nn; the forward pass in eval mode under no_grad (dropout is 0 anyway, so
the same arithmetic), the step (loss, backward, Adam) in training mode.

    /usr/bin/python3 bench/torch_bench.py --threads 2 [--quick] [--repeats R] [--cpu] [CONFIG ...]
"""
import argparse
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import pytorch_bridge as pb  # noqa: E402  Seq2SeqTransformer, TangGpt, TangBert, DigitVit

CONFIGS = {  # name: d_model, heads, d_ff, layers, seq_len, batch, vocab, repeats
    "lesson": (8, 2, 32, 2, 16, 8, 1000, 20),
    "dates": (32, 4, 64, 2, 16, 32, 71, 10),
    "base": (512, 8, 2048, 6, 64, 8, 1000, 3),
    "gpt": (64, 4, 256, 2, 64, 32, 1592, 5),
    "bert": (64, 4, 256, 2, 64, 32, 1592, 5),
    "positions": (32, 4, 64, 2, 14, 32, 12, 10),
    "vit": (32, 2, 64, 2, 17, 64, 10, 10),
}
BOS, MASK, REVERSE_BOS = 2, 4, 10  # the poems' <bos> and <mask>; lesson 13's <bos>


def positional_encoding(n, d):
    pe = torch.zeros(n, d, dtype=torch.float64)
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    div = torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float64) / d)
    pe[:, 0::2] = torch.sin(pos / div)
    pe[:, 1::2] = torch.cos(pos / div)
    return pe


def rope(x):
    """Interleaved RoPE (ops/rope.hpp) of x [B x h x n x d_k]: pair i = columns 2i, 2i+1."""
    n, dk = x.shape[-2], x.shape[-1]
    theta = torch.pow(10000.0, -torch.arange(0, dk, 2, dtype=torch.float64) / dk)
    angle = torch.arange(n, dtype=torch.float64).unsqueeze(1) * theta  # [n x d_k/2]
    c, s = torch.cos(angle), torch.sin(angle)
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack((a * c - b * s, a * s + b * c), -1).flatten(-2)


class MultiHeadAttention(nn.Module):
    def __init__(self, d, h, use_rope=False):
        super().__init__()
        self.h, self.use_rope = h, use_rope
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, memory, mask=None):
        b, n, d = x.shape
        m = memory.shape[1]
        dk = d // self.h
        q = self.wq(x).view(b, n, self.h, dk).transpose(1, 2)
        k = self.wk(memory).view(b, m, self.h, dk).transpose(1, 2)
        v = self.wv(memory).view(b, m, self.h, dk).transpose(1, 2)
        if self.use_rope:
            q, k = rope(q), rope(k)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dk)
        if mask is not None:
            scores = scores.masked_fill(mask, float("-inf"))
        return self.wo((torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, n, d))


class FeedForward(nn.Module):
    def __init__(self, d, d_ff, activation=torch.relu):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(d, d_ff), nn.Linear(d_ff, d)
        self.activation = activation

    def forward(self, x):
        return self.linear2(self.activation(self.linear1(x)))


class EncoderLayer(nn.Module):
    """Post-LN (norm_first False) or pre-LN self-attention + FFN."""

    def __init__(self, d, h, d_ff, norm_first=False, activation=torch.relu, use_rope=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn, self.norm1 = MultiHeadAttention(d, h, use_rope), nn.LayerNorm(d)
        self.ffn, self.norm2 = FeedForward(d, d_ff, activation), nn.LayerNorm(d)

    def forward(self, x, mask=None):
        if self.norm_first:
            h = self.norm1(x)
            x = x + self.self_attn(h, h, mask)
            return x + self.ffn(self.norm2(x))
        x = self.norm1(x + self.self_attn(x, x, mask))
        return self.norm2(x + self.ffn(x))


class DecoderLayer(nn.Module):
    def __init__(self, d, h, d_ff):
        super().__init__()
        self.self_attn, self.norm1 = MultiHeadAttention(d, h), nn.LayerNorm(d)
        self.cross_attn, self.norm2 = MultiHeadAttention(d, h), nn.LayerNorm(d)
        self.ffn, self.norm3 = FeedForward(d, d_ff), nn.LayerNorm(d)

    def forward(self, y, memory, causal):
        y = self.norm1(y + self.self_attn(y, y, causal))
        y = self.norm2(y + self.cross_attn(y, memory))
        return self.norm3(y + self.ffn(y))


def causal_mask(n):
    return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)


class Transformer(nn.Module):
    def __init__(self, d, h, d_ff, layers, vocab):
        super().__init__()
        self.d = d
        self.src_embed, self.tgt_embed = nn.Embedding(vocab, d), nn.Embedding(vocab, d)
        self.encoder = nn.ModuleList(EncoderLayer(d, h, d_ff) for _ in range(layers))
        self.decoder = nn.ModuleList(DecoderLayer(d, h, d_ff) for _ in range(layers))
        self.generator = nn.Linear(d, vocab)

    def forward(self, src, tgt):
        ns, nt = src.shape[1], tgt.shape[1]
        x = self.src_embed(src) * math.sqrt(self.d) + positional_encoding(ns, self.d)
        for layer in self.encoder:
            x = layer(x)
        causal = causal_mask(nt)
        y = self.tgt_embed(tgt) * math.sqrt(self.d) + positional_encoding(nt, self.d)
        for layer in self.decoder:
            y = layer(y, x, causal)
        return self.generator(y)


class Gpt(nn.Module):
    """Lesson 11's GPT by hand: embed + pos_embed, pre-LN causal blocks, LN, tied output."""

    def __init__(self, vocab, d, h, d_ff, layers, n):
        super().__init__()
        self.embed, self.pos_embed = nn.Embedding(vocab, d), nn.Embedding(n, d)
        self.blocks = nn.ModuleList(EncoderLayer(d, h, d_ff, True, F.gelu) for _ in range(layers))
        self.norm = nn.LayerNorm(d)

    def forward(self, ids):
        n = ids.shape[1]
        x = self.embed(ids) + self.pos_embed(torch.arange(n))
        causal = causal_mask(n)
        for block in self.blocks:
            x = block(x, causal)
        return self.norm(x) @ self.embed.weight.T


class Bert(nn.Module):
    """Lesson 12's BERT by hand: LN(embed + pos_embed), post-LN layers, the masked-LM head
    LN(gelu(dense(h))) · embed.weightᵀ + bias. (No <pad> in the bench's batches.)"""

    def __init__(self, vocab, d, h, d_ff, layers, n):
        super().__init__()
        self.embed, self.pos_embed = nn.Embedding(vocab, d), nn.Embedding(n, d)
        self.embed_norm = nn.LayerNorm(d)
        self.layers = nn.ModuleList(EncoderLayer(d, h, d_ff, False, F.gelu) for _ in range(layers))
        self.dense, self.head_norm = nn.Linear(d, d), nn.LayerNorm(d)
        self.bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids, chosen=None):
        """Logits of every position, or (chosen: a mask like ids) of the chosen ones alone,
        [chosen × V], as our training step runs the head (Bert::forward_rows)."""
        n = ids.shape[1]
        x = self.embed_norm(self.embed(ids) + self.pos_embed(torch.arange(n)))
        for layer in self.layers:
            x = layer(x)
        if chosen is not None:
            x = x[chosen]
        return self.head_norm(F.gelu(self.dense(x))) @ self.embed.weight.T + self.bias


class PositionModel(nn.Module):
    """Lesson 13's RoPE model: embed·√d, pre-LN encoder (RoPE in attention, ReLU), final LN,
    a linear head over the 12 ids."""

    def __init__(self, vocab, d, h, d_ff, layers):
        super().__init__()
        self.d = d
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(
            EncoderLayer(d, h, d_ff, True, torch.relu, use_rope=True) for _ in range(layers))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.embed(ids) * math.sqrt(self.d)
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x))


class Vit(nn.Module):
    """Lesson 14's ViT: patches · Wᵀ + b after a learned [CLS] row, learned positions, pre-LN
    GELU encoder layers, a final LN, a linear head on the [CLS] row."""

    def __init__(self, pixels, n, d, h, d_ff, layers, classes):
        super().__init__()
        self.proj = nn.Linear(pixels, d)
        self.cls_token = nn.Parameter(torch.randn(d) / math.sqrt(d))
        self.pos_embed = nn.Parameter(torch.randn(n, d) / math.sqrt(d))
        self.layers = nn.ModuleList(EncoderLayer(d, h, d_ff, True, F.gelu) for _ in range(layers))
        self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, classes)

    def forward(self, patches):
        e = self.proj(patches)
        x = torch.cat([self.cls_token.expand(e.shape[0], 1, -1), e], dim=1) + self.pos_embed
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x)[:, 0])


def make(kind, name):
    """(model, run, targets, ignore_index[, (step_run, step_targets)]) of `kind` (twin | nn)
    for configuration `name`, or None when PyTorch has no such module; the step runs
    step_run against step_targets when they are given, run against targets otherwise."""
    d, h, d_ff, layers, n, batch, vocab, _ = CONFIGS[name]
    torch.manual_seed(1)
    if name == "gpt":
        ids = torch.randint(5, vocab, (batch, n + 1))
        ids[:, 0] = BOS
        model = Gpt(vocab, d, h, d_ff, layers, n) if kind == "twin" else pb.TangGpt(
            vocab, d, h, d_ff, layers, n)
        model = model.double()
        return model, (lambda: model(ids[:, :-1])), ids[:, 1:], 0
    if name == "bert":
        ids = torch.randint(5, vocab, (batch, n))
        ids[:, 0] = BOS
        chosen = torch.rand(batch, n) < 0.15
        chosen[:, 0] = False
        inputs = ids.masked_fill(chosen, MASK)
        model = Bert(vocab, d, h, d_ff, layers, n) if kind == "twin" else pb.TangBert(
            vocab, d, h, d_ff, layers, n)
        model = model.double()
        targets = ids.masked_fill(~chosen, 0)
        if kind == "twin":  # the step's head on the chosen rows alone, as ours
            return (model, (lambda: model(inputs)), targets, 0,
                    ((lambda: model(inputs, chosen)), ids[chosen]))
        return model, (lambda: model(inputs)), targets, 0
    if name == "positions":
        if kind == "nn":
            return None
        digits = torch.randint(0, 10, (batch, n - 2))
        edge = torch.full((batch, 1), REVERSE_BOS)
        inputs = torch.cat((edge, digits, torch.full((batch, 1), 11)), 1)
        targets = torch.cat((edge, digits.flip(1), edge), 1)
        model = PositionModel(vocab, d, h, d_ff, layers).double()
        return model, (lambda: model(inputs)), targets, REVERSE_BOS
    if name == "vit":  # n = 16 patches of 16 pixels and [CLS]
        labels = torch.arange(batch) % vocab
        if kind == "twin":
            model = Vit(16, n, d, h, d_ff, layers, vocab).double()
            patches = torch.rand(batch, n - 1, 16, dtype=torch.float64)
            return model, (lambda: model(patches)), labels, -100
        model = pb.DigitVit(16, 4, d, h, d_ff, layers, vocab).double()
        images = torch.rand(batch, 16, 16, dtype=torch.float64)
        return model, (lambda: model(images)), labels, -100
    src = torch.randint(4, vocab, (batch, n))
    tgt = torch.randint(4, vocab, (batch, n))
    if kind == "twin":
        model = Transformer(d, h, d_ff, layers, vocab).double()
    else:
        model = pb.Seq2SeqTransformer(vocab, vocab, d, h, d_ff, layers, layers).double()
    return model, (lambda: model(src, tgt)), tgt, 0


clock = time.perf_counter  # --cpu: time.process_time, the CPU time of every thread


def bench(kind, name, repeats):
    made = make(kind, name)
    if made is None:
        return
    model, run, targets, ignore = made[:4]
    step_run, step_targets = made[4] if len(made) > 4 else (run, targets)
    vocab = CONFIGS[name][6]
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=ignore)
    fwd, step = [], []
    # A warm-up of at least one repetition and 0.3 s, as build/tools/bench has.
    warm_up_end = time.perf_counter() + 0.3
    r = 0
    while r < repeats + 1:
        model.eval()
        t0 = clock()
        with torch.no_grad():
            run()
        f = clock() - t0
        model.train()
        t0 = clock()
        opt.zero_grad()
        loss = loss_fn(step_run().reshape(-1, vocab), step_targets.reshape(-1))
        loss.backward()
        opt.step()
        s = clock() - t0
        if r > 0:
            fwd.append(f * 1000)
            step.append(s * 1000)
        if r > 0 or time.perf_counter() >= warm_up_end:
            r += 1
    figures = [statistics.median(fwd), min(fwd), max(fwd),
               statistics.median(step), min(step), max(step)]
    print(kind, name, " ".join(f"{x:.3f}" for x in figures), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=0)
    parser.add_argument("--cpu", action="store_true", help="process CPU time, not wall-clock")
    parser.add_argument("configs", nargs="*", default=list(CONFIGS))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.cpu:
        global clock
        clock = time.process_time
    for name in args.configs:
        repeats = CONFIGS[name][7]
        if args.quick:
            repeats = 1 if name == "base" else 3
        if args.repeats > 0:
            repeats = args.repeats
        for kind in ("twin", "nn"):
            bench(kind, name, repeats)


if __name__ == "__main__":
    main()
