#!/usr/bin/python3
"""PyTorch reference fixtures for the C++ modules (tests/reference/test_*.cpp).

Run from the repository root with Debian's Python (it has torch and numpy):

    /usr/bin/python3 tests/reference/make_fixtures.py

Every case is a folder tests/reference/fixtures/CASE/ holding
    config.json          sizes and options of the module (read by the C++ tests)
    weights.safetensors  the parameters under OUR names (DESIGN §5), F64, row-major
    *.npy                inputs, masks (1 = blocked, n_q × n_k), outputs, the upstream
                         gradient grad_output.npy and every gradient: grad_input.npy,
                         grad_memory.npy, grad.PARAM.npy (PARAM = our name)
All in float64, with weights drawn from a generator seeded by the case name, so that a
re-run rewrites the same bytes. Shapes never hide a bug by symmetry: n_tgt 5 ≠ n_src 7
≠ d_model 12 ≠ d_ff 20, 3 heads of d_k 4, masks that are not symmetric, LayerNorm
weights ≠ 1 and biases ≠ 0, and every layer of a stack with its own weights.

How PyTorch's names map to ours:
    in_proj_weight [3d × d]  → wq.weight (rows 0…d−1), wk.weight (d…2d−1), wv.weight
    in_proj_bias   [3d]      → wq.bias, wk.bias, wv.bias
    out_proj.*               → wo.*
    multihead_attn.*         → cross_attn.*
    linear1/linear2 in a layer → ffn.linear1/ffn.linear2 (FfnBlock and FFN: linear1/linear2)
    norm1/norm2/norm3, norm, layers.{i}, *_embed, generator: the same
"""
import json
import math
import os
import shutil
import struct
import sys
import zlib

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")

D_MODEL, HEADS, D_FF = 12, 3, 20
N_TGT, N_SRC = 5, 7
SRC_VOCAB, TGT_VOCAB, PAD = 11, 13, 0

# Keys flagged True are padding (blocked for every query). Not symmetric, not all at the end.
SELF_PAD = [False, False, True, False, True]                     # 5 keys
SRC_PAD = [False, False, False, False, False, True, True]        # 7 keys (a padded source)


# ---------------------------------------------------------------- files

def save_safetensors(path, tensors, metadata):
    """8-byte little-endian header length, JSON header, raw row-major F64 data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f8")
        b = a.tobytes(order="C")
        header[name] = {"dtype": "F64", "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # align the data to 8 bytes, as the format suggests
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    """Reads back what save_safetensors wrote (the script checks its own files)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[8 + n + begin:8 + n + end]
        out[name] = np.frombuffer(raw, dtype="<f8").reshape(info["shape"])
    return out


def to_np(t):
    return t.detach().cpu().numpy().astype("<f8", copy=True)


class Case:
    """One fixture folder."""

    def __init__(self, name, config):
        self.name = name
        self.dir = os.path.join(OUT, name)
        os.makedirs(self.dir, exist_ok=True)
        config = dict(config)
        config["case"] = name
        config["made_by"] = "tests/reference/make_fixtures.py, torch " + torch.__version__
        with open(os.path.join(self.dir, "config.json"), "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
            f.write("\n")

    def npy(self, name, array):
        if isinstance(array, torch.Tensor):
            array = to_np(array)
        np.save(os.path.join(self.dir, name + ".npy"), np.ascontiguousarray(array, dtype="<f8"))

    def weights(self, ours):
        path = os.path.join(self.dir, "weights.safetensors")
        save_safetensors(path, ours, {"source": "tests/reference/make_fixtures.py",
                                      "case": self.name})
        back = load_safetensors(path)
        assert set(back) == set(ours)
        for k in ours:
            assert np.array_equal(back[k], ours[k]), k

    def grads(self, ours):
        for name, g in ours.items():
            self.npy("grad." + name, g)


def seeded(name):
    torch.manual_seed(zlib.crc32(name.encode("utf-8")))


def randn(*shape):
    return torch.randn(*shape)


# ---------------------------------------------------------------- weights and names

def init_weights(module):
    """Fresh weights for every parameter (so stacked layers differ, norms are not 1/0)."""
    done = set()
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(1.0 + 0.3 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
                done.update((id(m.weight), id(m.bias)))
            elif isinstance(m, nn.Embedding):
                m.weight.copy_(torch.randn_like(m.weight))
                done.add(id(m.weight))
        for p in module.parameters():
            if id(p) in done:
                continue
            if p.dim() == 2:
                bound = 1.5 / math.sqrt(p.shape[1])
                p.uniform_(-bound, bound)
            else:
                p.uniform_(-0.5, 0.5)


def our_names(torch_name, in_layer):
    """[(our_name, row_slice or None)] for one PyTorch parameter name."""
    parts = torch_name.split(".")
    leaf = parts[-1]
    prefix = parts[:-1]
    prefix = ["cross_attn" if p == "multihead_attn" else p for p in prefix]
    if in_layer and prefix and prefix[-1] in ("linear1", "linear2"):
        prefix = prefix[:-1] + ["ffn", prefix[-1]]
    if prefix and prefix[-1] == "out_proj":
        prefix = prefix[:-1] + ["wo"]
    join = lambda *xs: ".".join(list(prefix) + list(xs))
    if leaf in ("in_proj_weight", "in_proj_bias"):
        kind = "weight" if leaf == "in_proj_weight" else "bias"
        d = D_MODEL
        return [(join(w, kind), slice(i * d, (i + 1) * d)) for i, w in enumerate(("wq", "wk", "wv"))]
    return [(join(leaf), None)]


def map_tensors(named, in_layer):
    """{torch name: tensor} → {our name: numpy array}."""
    out = {}
    for name, t in named:
        for ours, rows in our_names(name, in_layer):
            a = to_np(t)
            out[ours] = a[rows] if rows is not None else a
    return out


def our_weights(module, in_layer):
    return map_tensors(module.named_parameters(), in_layer)


def our_grads(module, in_layer):
    named = [(n, p.grad if p.grad is not None else torch.zeros_like(p))
             for n, p in module.named_parameters()]
    return map_tensors(named, in_layer)


def mask_matrix(n_q, n_k, causal=False, key_pad=None):
    """Our convention: n_q × n_k, 1 = blocked."""
    m = np.zeros((n_q, n_k))
    if causal:
        m = np.maximum(m, np.triu(np.ones((n_q, n_k)), 1))
    if key_pad is not None:
        m[:, np.array(key_pad)] = 1.0
    return m


def causal_bool(n):
    return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)


def pad_bool(flags):
    return torch.tensor(flags, dtype=torch.bool).unsqueeze(0)  # [batch 1, n_k]


# ---------------------------------------------------------------- independent check

def manual_mha(mha, q_in, kv_in, blocked):
    """Multi-head attention written out (DESIGN §3), to confirm PyTorch's semantics."""
    d, h = D_MODEL, HEADS
    dk = d // h
    W, b = mha.in_proj_weight, mha.in_proj_bias
    Q = q_in @ W[:d].T + b[:d]
    K = kv_in @ W[d:2 * d].T + b[d:2 * d]
    V = kv_in @ W[2 * d:].T + b[2 * d:]
    heads = []
    for j in range(h):
        c = slice(j * dk, (j + 1) * dk)
        s = Q[:, c] @ K[:, c].T / math.sqrt(dk)
        s = s.masked_fill(torch.tensor(blocked, dtype=torch.bool), float("-inf"))
        heads.append(torch.softmax(s, dim=1) @ V[:, c])
    return torch.cat(heads, dim=1) @ mha.out_proj.weight.T + mha.out_proj.bias


# ---------------------------------------------------------------- cases

def rows(t):
    """[1 × n × d] (PyTorch's batch of one) or [n × d] → [n × d], one row per token."""
    return t.reshape(-1, t.shape[-1])


def module_case(name, make, run, config, in_layer):
    """Writes one fixture: seeds by the name, builds the module with make() and re-draws its
    weights, lets run(module) draw the inputs (leaf tensors that require grad) and return
    (inputs {file: tensor}, output, more arrays {file: array}, more config), then pushes back
    L = Σ output ⊙ G for a random G and writes the weights, inputs, output, G and every
    gradient."""
    seeded(name)
    module = make()
    init_weights(module)  # nn.TransformerEncoder/Decoder deep-copy one layer: re-draw them all
    module.eval()
    inputs, y, arrays, more = run(module)
    g = randn(*y.shape)
    (y * g).sum().backward()
    c = Case(name, dict(config, **more))
    c.weights(our_weights(module, in_layer))
    for file, a in arrays.items():
        c.npy(file, a)
    for file, t in inputs.items():
        c.npy(file, rows(t))
        c.npy("grad_" + file, rows(t.grad))
    c.npy("output", rows(y))
    c.npy("grad_output", rows(g))
    c.grads(our_grads(module, in_layer))


def mha_case(name, n_q, n_k, cross, causal, key_pad):
    def run(mha):
        x_q = randn(1, n_q, D_MODEL).requires_grad_()
        x_kv = randn(1, n_k, D_MODEL).requires_grad_() if cross else x_q
        attn_mask = causal_bool(n_q) if causal else None
        kpm = pad_bool(key_pad) if key_pad is not None else None
        out, w = mha(x_q, x_kv, x_kv, key_padding_mask=kpm, attn_mask=attn_mask,
                     need_weights=True, average_attn_weights=False)
        blocked = mask_matrix(n_q, n_k, causal, key_pad)
        check = manual_mha(mha, x_q[0], x_kv[0], blocked)
        assert torch.allclose(check, out[0], atol=1e-12, rtol=0), name
        # Self-attention: grad_input is the query and key/value paths summed.
        inputs = {"query": x_q, "key_value": x_kv} if cross else {"input": x_q}
        arrays = {"mask": blocked}
        arrays.update(("weights.head%d" % j, w[0, j]) for j in range(HEADS))
        return inputs, out, arrays, {}

    mask_kind = "none" if not causal and key_pad is None else \
        "+".join(k for k, on in (("causal", causal), ("padding", key_pad is not None)) if on)
    module_case(name, lambda: nn.MultiheadAttention(D_MODEL, HEADS, batch_first=True), run,
                {"module": "MultiHeadAttention", "d_model": D_MODEL, "num_heads": HEADS,
                 "n_q": n_q, "n_k": n_k, "self_attention": not cross, "mask": mask_kind},
                in_layer=False)


def run_on_rows(module):
    """x [N_TGT × d_model], no mask."""
    x = randn(N_TGT, D_MODEL).requires_grad_()
    return {"input": x}, module(x), {}, {}


def layer_norm_case(name):
    def run(ln):
        # Rows with a large common offset and very different spreads.
        x = (randn(N_TGT, D_MODEL) * torch.tensor([[0.01], [1.0], [3.0], [10.0], [0.5]])
             + torch.tensor([[100.0], [-2.0], [0.0], [5.0], [1e3]])).requires_grad_()
        return {"input": x}, ln(x), {}, {"eps": ln.eps}

    module_case(name, lambda: nn.LayerNorm(D_MODEL), run,
                {"module": "LayerNorm", "d_model": D_MODEL, "n": N_TGT}, in_layer=False)


class FeedForward(nn.Module):
    def __init__(self, activation):
        super().__init__()
        self.linear1 = nn.Linear(D_MODEL, D_FF)
        self.linear2 = nn.Linear(D_FF, D_MODEL)
        self.act = F.relu if activation == "relu" else F.gelu  # F.gelu is the exact (erf) GELU

    def forward(self, x):
        return self.linear2(self.act(self.linear1(x)))


class FfnBlock(nn.Module):
    """Lesson 05: post-LN LN(x + FFN(x)), pre-LN x + FFN(LN(x))."""

    def __init__(self, activation, norm_first):
        super().__init__()
        self.linear1 = nn.Linear(D_MODEL, D_FF)
        self.linear2 = nn.Linear(D_FF, D_MODEL)
        self.norm = nn.LayerNorm(D_MODEL)
        self.act = F.relu if activation == "relu" else F.gelu
        self.norm_first = norm_first

    def ffn(self, x):
        return self.linear2(self.act(self.linear1(x)))

    def forward(self, x):
        if self.norm_first:
            return x + self.ffn(self.norm(x))
        return self.norm(x + self.ffn(x))


def ffn_case(name, activation):
    module_case(name, lambda: FeedForward(activation), run_on_rows,
                {"module": "FeedForward", "d_model": D_MODEL, "d_ff": D_FF,
                 "activation": activation, "n": N_TGT}, in_layer=False)


def ffn_block_case(name, activation, norm_first):
    module_case(name, lambda: FfnBlock(activation, norm_first), run_on_rows,
                {"module": "FfnBlock", "lesson": "05_ffn", "d_model": D_MODEL, "d_ff": D_FF,
                 "activation": activation, "norm_first": norm_first, "n": N_TGT}, in_layer=False)


def layer_config(module, activation, norm_first, **more):
    cfg = {"module": module, "d_model": D_MODEL, "num_heads": HEADS, "d_ff": D_FF,
           "activation": activation, "norm_first": norm_first}
    cfg.update(more)
    return cfg


def encoder_layer(activation, norm_first):
    return nn.TransformerEncoderLayer(D_MODEL, HEADS, D_FF, dropout=0.0, activation=activation,
                                      batch_first=True, norm_first=norm_first)


def decoder_layer(activation, norm_first):
    return nn.TransformerDecoderLayer(D_MODEL, HEADS, D_FF, dropout=0.0, activation=activation,
                                      batch_first=True, norm_first=norm_first)


def encoder_stack(activation, norm_first, layers):
    layer = encoder_layer(activation, norm_first)
    norm = nn.LayerNorm(D_MODEL) if norm_first else None
    return nn.TransformerEncoder(layer, layers, norm=norm, enable_nested_tensor=False)


def decoder_stack(activation, norm_first, layers):
    layer = decoder_layer(activation, norm_first)
    norm = nn.LayerNorm(D_MODEL) if norm_first else None
    return nn.TransformerDecoder(layer, layers, norm=norm)


def run_encoder(encoder):
    """A source x [N_SRC × d_model] whose keys SRC_PAD are padding."""
    x = randn(1, N_SRC, D_MODEL).requires_grad_()  # requires_grad keeps PyTorch off its fast path
    y = encoder(x, src_key_padding_mask=pad_bool(SRC_PAD))
    assert torch.all(y[0, -1].abs() > 0), "padded rows are computed, not zeroed"
    return ({"input": x}, y, {"mask": mask_matrix(N_SRC, N_SRC, key_pad=SRC_PAD)},
            {"n": N_SRC, "mask": "padding", "key_is_pad": SRC_PAD})


def run_decoder(decoder):
    """A target [N_TGT × d_model] under a causal mask, and memory [N_SRC × d_model] whose
    keys SRC_PAD are padding."""
    y_in = randn(1, N_TGT, D_MODEL).requires_grad_()
    memory = randn(1, N_SRC, D_MODEL).requires_grad_()
    y = decoder(y_in, memory, tgt_mask=causal_bool(N_TGT), memory_key_padding_mask=pad_bool(SRC_PAD))
    masks = {"tgt_mask": mask_matrix(N_TGT, N_TGT, causal=True),
             "memory_mask": mask_matrix(N_TGT, N_SRC, key_pad=SRC_PAD)}
    return ({"input": y_in, "memory": memory}, y, masks,
            {"n_tgt": N_TGT, "n_src": N_SRC, "tgt_mask": "causal", "memory_mask": "padding",
             "memory_key_is_pad": SRC_PAD})


def encoder_layer_case(name, activation, norm_first):
    module_case(name, lambda: encoder_layer(activation, norm_first), run_encoder,
                layer_config("EncoderLayer", activation, norm_first), in_layer=True)


def decoder_layer_case(name, activation, norm_first):
    module_case(name, lambda: decoder_layer(activation, norm_first), run_decoder,
                layer_config("DecoderLayer", activation, norm_first), in_layer=True)


def encoder_stack_case(name, activation, norm_first, layers=2):
    module_case(name, lambda: encoder_stack(activation, norm_first, layers), run_encoder,
                layer_config("Encoder", activation, norm_first, layers=layers, final_norm=norm_first),
                in_layer=True)


def decoder_stack_case(name, activation, norm_first, layers=2):
    module_case(name, lambda: decoder_stack(activation, norm_first, layers), run_decoder,
                layer_config("Decoder", activation, norm_first, layers=layers, final_norm=norm_first),
                in_layer=True)


def positional_encoding(n, d):
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    i2 = torch.arange(0, d, 2, dtype=torch.float64)
    angle = pos / torch.pow(10000.0, i2 / d)
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe


def sinusoidal_numpy(n, d):
    """The 2017 paper's formula (§3.5) in NumPy alone, written apart from the torch one
    above: PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(the same)."""
    pe = np.zeros((n, d))
    for pos in range(n):
        for i in range(d // 2):
            angle = pos / 10000.0 ** (2 * i / d)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe


def sinusoidal_shift_numpy(k, d):
    """M_k with PE[pos + k] = PE[pos] · M_k (row vectors): one 2 × 2 rotation per pair.
    (sin a, cos a) · [[cos b, −sin b], [sin b, cos b]] = (sin(a + b), cos(a + b))."""
    m = np.zeros((d, d))
    for i in range(d // 2):
        b = k / 10000.0 ** (2 * i / d)
        m[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[math.cos(b), -math.sin(b)],
                                               [math.sin(b), math.cos(b)]]
    return m


def sinusoidal_case(name, n, d, k):
    """PyTorch has no sinusoidal encoding of its own: our formula against NumPy's."""
    c = Case(name, {"module": "PositionalEncoding", "seq_len": n, "d_model": d, "shift": k})
    pe = sinusoidal_numpy(n, d)
    assert np.allclose(pe, to_np(positional_encoding(n, d)), rtol=0, atol=1e-15)
    m = sinusoidal_shift_numpy(k, d)
    assert np.abs(pe[:n - k] @ m - pe[k:]).max() < 1e-12
    c.npy("output", pe)
    c.npy("shift", m)


class EncoderDecoder(nn.Module):
    """The full model (DESIGN §3, §5): embeddings × √d + PE, stacks, generator."""

    def __init__(self, activation, norm_first, layers, shared):
        super().__init__()
        src_vocab = TGT_VOCAB if shared else SRC_VOCAB
        self.src_embed = nn.Embedding(src_vocab, D_MODEL)
        self.tgt_embed = self.src_embed if shared else nn.Embedding(TGT_VOCAB, D_MODEL)
        self.encoder = encoder_stack(activation, norm_first, layers)
        self.decoder = decoder_stack(activation, norm_first, layers)
        self.generator = nn.Linear(D_MODEL, TGT_VOCAB)
        if shared:
            # One table for the source, the target and the output projection (2017 paper,
            # §3.4). named_parameters() lists it once, as src_embed.weight, as we do.
            self.generator.weight = self.src_embed.weight

    def embed(self, table, ids):
        return table(ids) * math.sqrt(D_MODEL) + positional_encoding(ids.shape[1], D_MODEL)

    def forward(self, src, tgt):
        src_pad = src == PAD
        tgt_pad = tgt == PAD
        memory = self.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src_pad)
        h = self.decoder(self.embed(self.tgt_embed, tgt), memory,
                         tgt_mask=causal_bool(tgt.shape[1]), tgt_key_padding_mask=tgt_pad,
                         memory_key_padding_mask=src_pad)
        return memory, h, self.generator(h)


def transformer_case(name, activation, norm_first, layers=2, shared=False):
    seeded(name)
    model = EncoderDecoder(activation, norm_first, layers, shared)
    init_weights(model)
    model.eval()
    # bos = 1, eos = 2, pad = 0. The source ends in two pads; the target prefix in one,
    # whose target is ignored by the loss.
    src = torch.tensor([[5, 3, 8, 10, 4, PAD, PAD]])
    tgt = torch.tensor([[1, 7, 12, 3, PAD]])
    targets = torch.tensor([[7, 12, 3, 2, PAD]])
    assert src.shape[1] == N_SRC and tgt.shape[1] == N_TGT
    memory, h, logits = model(src, tgt)
    logits.retain_grad()
    loss = F.cross_entropy(logits[0], targets[0], ignore_index=PAD)
    loss.backward()
    grad_logits = logits.grad[0].clone()
    grads = our_grads(model, in_layer=True)

    lg = logits.detach()[0].clone().requires_grad_()
    smoothed = F.cross_entropy(lg, targets[0], ignore_index=PAD, label_smoothing=0.1)
    smoothed.backward()

    c = Case(name, layer_config("Transformer", activation, norm_first, layers=layers,
                                encoder_layers=layers, decoder_layers=layers,
                                src_vocab_size=TGT_VOCAB if shared else SRC_VOCAB,
                                tgt_vocab_size=TGT_VOCAB, share_embeddings=shared, pad_id=PAD,
                                n_src=N_SRC, n_tgt=N_TGT, final_norm=norm_first,
                                loss="cross_entropy mean over targets != pad",
                                label_smoothing=0.1,
                                label_smoothing_rule="PyTorch: (1-e)*nll + e*mean_c(-log p_c)"))
    c.weights(our_weights(model, in_layer=True))
    c.npy("src_ids", src[0].double())
    c.npy("tgt_ids", tgt[0].double())
    c.npy("targets", targets[0].double())
    c.npy("memory", memory[0])
    c.npy("decoder_output", h[0])
    c.npy("logits", logits[0])
    c.npy("loss", loss.detach().reshape(1))
    c.npy("grad_logits", grad_logits)
    c.npy("loss_smoothed", smoothed.detach().reshape(1))
    c.npy("grad_logits_smoothed", lg.grad)
    c.grads(grads)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    mha_case("mha_self_none", N_TGT, N_TGT, cross=False, causal=False, key_pad=None)
    mha_case("mha_self_causal", N_TGT, N_TGT, cross=False, causal=True, key_pad=None)
    mha_case("mha_self_padding", N_TGT, N_TGT, cross=False, causal=False, key_pad=SELF_PAD)
    mha_case("mha_self_causal_padding", N_TGT, N_TGT, cross=False, causal=True,
             key_pad=[False, False, False, True, True])
    mha_case("mha_cross_none", N_TGT, N_SRC, cross=True, causal=False, key_pad=None)
    mha_case("mha_cross_padding", N_TGT, N_SRC, cross=True, causal=False, key_pad=SRC_PAD)
    layer_norm_case("layer_norm")
    for act in ("relu", "gelu"):
        ffn_case("ffn_" + act, act)
        for nf in (False, True):
            tag = ("pre_" if nf else "post_") + act
            ffn_block_case("ffn_block_" + tag, act, nf)
            encoder_layer_case("encoder_layer_" + tag, act, nf)
            decoder_layer_case("decoder_layer_" + tag, act, nf)
    encoder_stack_case("encoder_stack_post_relu", "relu", False)
    encoder_stack_case("encoder_stack_pre_gelu", "gelu", True)
    decoder_stack_case("decoder_stack_post_relu", "relu", False)
    decoder_stack_case("decoder_stack_pre_gelu", "gelu", True)
    transformer_case("transformer_post_relu", "relu", False)
    transformer_case("transformer_pre_gelu", "gelu", True)
    transformer_case("transformer_shared_post_relu", "relu", False, shared=True)
    sinusoidal_case("sinusoidal", 50, 16, 3)
    cases = sorted(os.listdir(OUT))
    print("wrote %d fixture folders to %s" % (len(cases), os.path.relpath(OUT)))


if __name__ == "__main__":
    sys.exit(main())
