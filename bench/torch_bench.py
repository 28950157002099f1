#!/usr/bin/python3
"""PyTorch twin of tools/bench.cpp: the same encoder-decoder Transformer (post-LN, ReLU,
separate wq/wk/wv/wo Linear layers, embeddings x sqrt(d_model) + sinusoidal PE, generator),
and for gpt and bert the bridge's TangGpt and TangBert (tools/pytorch_bridge.py: the models
of lessons 11 and 12 on nn.TransformerEncoderLayer), float64, the same configurations,
batch and sequence length, the same thread count.
Prints "CONFIG forward_ms step_ms" (medians), like build/tools/bench.

    /usr/bin/python3 bench/torch_bench.py --threads 2 [--quick] [CONFIG ...]
"""
import argparse
import math
import statistics
import time

import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import pytorch_bridge as pb  # noqa: E402  lesson 11's and 12's models: TangGpt, TangBert

CONFIGS = {  # name: d_model, heads, d_ff, layers, seq_len, batch, vocab, repeats
    "lesson": (8, 2, 32, 2, 16, 8, 1000, 20),
    "dates": (32, 4, 64, 2, 16, 32, 71, 10),
    "base": (512, 8, 2048, 6, 64, 8, 1000, 3),
    "gpt": (64, 4, 256, 2, 64, 32, 1592, 5),
    "bert": (64, 4, 256, 2, 64, 32, 1592, 5),
}


def positional_encoding(n, d):
    pe = torch.zeros(n, d, dtype=torch.float64)
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    div = torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float64) / d)
    pe[:, 0::2] = torch.sin(pos / div)
    pe[:, 1::2] = torch.cos(pos / div)
    return pe


class MultiHeadAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, memory, mask=None):
        b, n, d = x.shape
        m = memory.shape[1]
        dk = d // self.h
        q = self.wq(x).view(b, n, self.h, dk).transpose(1, 2)
        k = self.wk(memory).view(b, m, self.h, dk).transpose(1, 2)
        v = self.wv(memory).view(b, m, self.h, dk).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dk)
        if mask is not None:
            scores = scores.masked_fill(mask, float("-inf"))
        return self.wo((torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, n, d))


class FeedForward(nn.Module):
    def __init__(self, d, d_ff):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(d, d_ff), nn.Linear(d_ff, d)

    def forward(self, x):
        return self.linear2(torch.relu(self.linear1(x)))


class EncoderLayer(nn.Module):
    def __init__(self, d, h, d_ff):
        super().__init__()
        self.self_attn, self.norm1 = MultiHeadAttention(d, h), nn.LayerNorm(d)
        self.ffn, self.norm2 = FeedForward(d, d_ff), nn.LayerNorm(d)

    def forward(self, x):
        x = self.norm1(x + self.self_attn(x, x))
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
        causal = torch.triu(torch.ones(nt, nt, dtype=torch.bool), 1)
        y = self.tgt_embed(tgt) * math.sqrt(self.d) + positional_encoding(nt, self.d)
        for layer in self.decoder:
            y = layer(y, x, causal)
        return self.generator(y)


def poem_model(name, d, h, d_ff, layers, n, batch, vocab):
    """Lesson 11's GPT (targets: every next id) or lesson 12's BERT (15% of the positions
    chosen, as <mask> in the input; the others' target 0 is ignored), as tools/bench.cpp."""
    ids = torch.randint(5, vocab, (batch, n + 1 if name == "gpt" else n))
    ids[:, 0] = 2  # <bos>
    if name == "gpt":
        model = pb.TangGpt(vocab, d, h, d_ff, layers, n)
        return model.double(), (lambda: model(ids[:, :-1])), ids[:, 1:]
    model = pb.TangBert(vocab, d, h, d_ff, layers, n)
    chosen = torch.rand(batch, n) < 0.15
    chosen[:, 0] = False
    inputs = ids.masked_fill(chosen, 4)
    return model.double(), (lambda: model(inputs)), ids.masked_fill(~chosen, 0)


def bench(name, quick):
    d, h, d_ff, layers, n, batch, vocab, repeats = CONFIGS[name]
    if quick:
        repeats = 1 if name == "base" else 3
    torch.manual_seed(1)
    if name in ("gpt", "bert"):
        model, run, tgt = poem_model(name, d, h, d_ff, layers, n, batch, vocab)
    else:
        model = Transformer(d, h, d_ff, layers, vocab).double()
        src = torch.randint(4, vocab, (batch, n))
        tgt = torch.randint(4, vocab, (batch, n))
        run = lambda: model(src, tgt)  # noqa: E731
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    loss_fn = nn.CrossEntropyLoss(ignore_index=0)
    fwd, step = [], []
    for r in range(repeats + 1):  # the first repetition warms up
        t0 = time.perf_counter()
        with torch.no_grad():
            run()
        f = time.perf_counter() - t0
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(run().reshape(-1, vocab), tgt.reshape(-1))
        loss.backward()
        opt.step()
        s = time.perf_counter() - t0
        if r > 0:
            fwd.append(f * 1000)
            step.append(s * 1000)
    print(f"{name} {statistics.median(fwd):.3f} {statistics.median(step):.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("configs", nargs="*", default=list(CONFIGS))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.configs:
        bench(name, args.quick)


if __name__ == "__main__":
    main()
