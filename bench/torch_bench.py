#!/usr/bin/python3
"""PyTorch twin of tools/bench.cpp: the same encoder-decoder Transformer (post-LN, ReLU,
separate wq/wk/wv/wo Linear layers, embeddings x sqrt(d_model) + sinusoidal PE, generator),
float64, the same configurations, batch and sequence length, the same thread count.
Prints "CONFIG forward_ms step_ms" (medians), like build/tools/bench.

    /usr/bin/python3 bench/torch_bench.py --threads 2 [--quick] [CONFIG ...]
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn

CONFIGS = {  # name: d_model, heads, d_ff, layers, seq_len, batch, vocab, repeats
    "lesson": (8, 2, 32, 2, 16, 8, 1000, 20),
    "dates": (32, 4, 64, 2, 16, 32, 71, 10),
    "base": (512, 8, 2048, 6, 64, 8, 1000, 3),
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


def bench(name, quick):
    d, h, d_ff, layers, n, batch, vocab, repeats = CONFIGS[name]
    if quick:
        repeats = 1 if name == "base" else 3
    torch.manual_seed(1)
    model = Transformer(d, h, d_ff, layers, vocab).double()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    src = torch.randint(4, vocab, (batch, n))
    tgt = torch.randint(4, vocab, (batch, n))
    loss_fn = nn.CrossEntropyLoss(ignore_index=0)
    fwd, step = [], []
    for r in range(repeats + 1):  # the first repetition warms up
        t0 = time.perf_counter()
        with torch.no_grad():
            model(src, tgt)
        f = time.perf_counter() - t0
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model(src, tgt).reshape(-1, vocab), tgt.reshape(-1))
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
