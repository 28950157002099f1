#!/usr/bin/python3
"""Weights between the course's .safetensors files and PyTorch modules.

Needs only Debian's python3-torch and numpy (apt-get install python3-torch); no pip
package, not even safetensors: the format is read and written here.

Command line:

    tools/pytorch_bridge.py export W.safetensors OUT.pt   # a lesson's weights → PyTorch
    tools/pytorch_bridge.py import IN.pt W.safetensors    # PyTorch → a lesson's --weights

--lang en|zh (anywhere on the line) chooses the language; without it the environment does,
as for the lessons (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).

OUT.pt (torch.save) is a dict: "module" (the PyTorch class, e.g. "TransformerEncoder"),
"config" (the sizes: d_model, num_heads, d_ff, layers, norm_first, activation, …),
"state_dict" (PyTorch's names) and "metadata" (the weight file's __metadata__). Rebuild
the module with load_pt(OUT.pt), or build it yourself and call
module.load_state_dict(torch.load(OUT.pt)["state_dict"]). IN.pt may be such a dict, a
whole pickled module of a supported class, or a bare state_dict (then the sizes come
from the names and shapes, and --heads, --activation, --norm-first say what those
cannot).

In Python (sys.path.insert(0, "tools")):

    tensors, meta = load_safetensors("w.safetensors")   # {our name: float64 array}, {str: str}
    module = to_torch(tensors, meta)                     # nn.MultiheadAttention, nn.Transformer…
    tensors, meta = from_torch(module)                   # back to our names
    save_safetensors("w2.safetensors", tensors, meta)

Supported modules (what each lesson's --save-weights holds):

    04_multi_head   nn.MultiheadAttention(batch_first=True)
    05_ffn          FfnBlock (below: linear1, linear2, norm, as the lesson)
    06_encoder      nn.TransformerEncoderLayer (--layers 1), nn.TransformerEncoder
    07_decoder      nn.TransformerDecoderLayer (--layers 1), nn.TransformerDecoder
    09_full_model   Seq2SeqTransformer (below): embeddings · √d_model + sinusoidal
                    positions, nn.Transformer, the generator

Every layer has dropout 0 and batch_first=True. A stack has a final LayerNorm
(`norm`) exactly when it is pre-LN (norm_first=True), as ours; nn.Transformer always
builds one, so Seq2SeqTransformer sets encoder.norm = decoder.norm = None for post-LN.

The names (docs/formats.md has the whole table):

    ours                                PyTorch
    wq/wk/wv.weight [d, d] each         in_proj_weight [3d, d] = cat(wq, wk, wv) by rows
    wq/wk/wv.bias [d] each              in_proj_bias [3d]
    wo.weight, wo.bias                  out_proj.weight, out_proj.bias
    cross_attn.…                        multihead_attn.…
    ffn.linear1.…, ffn.linear2.…        linear1.…, linear2.…   (in a layer: no ffn.)
    encoder.…, decoder.… (full model)   transformer.encoder.…, transformer.decoder.…
    norm1/2/3, norm, layers.{i}, src_embed, tgt_embed, generator: the same
"""
import argparse
import gettext
import json
import math
import os
import re
import struct
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

PROGRAM = "pytorch_bridge.py"
if __name__ == "__main__":
    # A module pickled by code that imported this file as pytorch_bridge (FfnBlock,
    # Seq2SeqTransformer) must unpickle to these very classes when run as a script.
    sys.modules.setdefault("pytorch_bridge", sys.modules[__name__])


class BridgeError(Exception):
    """A problem with the user's file or request: one line, exit status 2."""


# ------------------------------------------------------------------ language

# The bridge speaks English or Chinese, as every program of the course (docs/architecture.md,
# "Two languages"; the C++ side is src/core/i18n.*). Every sentence it says goes through
# tr("… {1} … {2} …", a, b): the English is the message id, {1}, {2} are the names and
# numbers that vary. N_("…") marks a message kept in a table, translated where it is used.
# python3 tools/po.py update puts them into po/zh/cli.po; make compiles the catalogue
# into BUILD/locale/zh/LC_MESSAGES/tfm.mo, read here with the standard gettext module.

CATALOGUE_FILE = os.path.join("zh", "LC_MESSAGES", "tfm.mo")
_PLACEHOLDER = re.compile(r"\{([1-9])\}")
_catalogue = None  # gettext.GNUTranslations while the bridge speaks Chinese, else None


def N_(msgid):
    return msgid


def tr(msgid, *args):
    """msgid in the language the bridge speaks, with {1} … {9} replaced by args (a brace
    not followed by a digit and } stays as it is)."""
    text = _catalogue.gettext(msgid) if _catalogue is not None and msgid else msgid
    if not args:
        return text

    def arg(m):
        k = int(m.group(1))
        if k > len(args):
            raise ValueError("tr(): the message %r wants {%d}, but it was given %d argument(s)"
                             % (msgid, k, len(args)))
        return str(args[k - 1])
    return _PLACEHOLDER.sub(arg, text)


def parse_language(name):
    if name in ("en", "zh"):
        return name
    raise BridgeError(tr("--lang: '{1}' is not a language of the course (en or zh)", name))


def language_from_environment():
    """As GNU programs read it: the first entry of LANGUAGE (a colon list) that is zh… or
    en…, then the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty; zh… is
    Chinese, anything else English."""
    for entry in os.environ.get("LANGUAGE", "").split(":"):
        if entry.startswith("zh"):
            return "zh"
        if entry.startswith("en"):
            return "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def catalogue_folder():
    """TFM_LOCALEDIR when set, else the build's locale/ folder next to tools/."""
    return os.environ.get("TFM_LOCALEDIR") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "locale")


def set_language(language):
    """From now on tr() speaks language ("en" or "zh"); BridgeError when the Chinese
    catalogue is not there."""
    global _catalogue
    if language == "en":
        _catalogue = None
        return
    path = os.path.join(catalogue_folder(), CATALOGUE_FILE)
    if not os.path.exists(path):
        raise BridgeError(tr("--lang zh: the Chinese catalogue {1} is not there (make builds it from "
                             "po/zh/; TFM_LOCALEDIR names another folder)", path))
    try:
        with open(path, "rb") as f:
            _catalogue = gettext.GNUTranslations(f)
    except (OSError, ValueError):
        raise BridgeError(tr("--lang zh: the Chinese catalogue in {1} cannot be read", catalogue_folder()))


def language_of(argv):
    """(language, given): --lang's value when it is among argv (before a "--"), else the
    environment's. As the C++ programs, --lang may stand anywhere; as argparse, --la or
    --lan is --lang too."""
    for i, a in enumerate(argv):
        if a == "--":
            break
        name, eq, value = a.partition("=")
        if len(name) >= 3 and "--lang".startswith(name):
            if not eq and i + 1 >= len(argv):
                raise BridgeError(tr("option 'lang' requires an argument (en or zh)"))
            return parse_language(value if eq else argv[i + 1]), True
    return language_from_environment(), False


# ------------------------------------------------------------------ .safetensors

_DTYPES = {"F64": "<f8", "F32": "<f4"}


def load_safetensors(path):
    """({name: float64 array}, {metadata}) from a .safetensors file (F64 or F32, 1-D/2-D
    or any rank). Checks the header against the data as the C++ reader does."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise BridgeError(tr("{1}: cannot read ({2})", path, e.strerror))
    if len(data) < 8:
        raise BridgeError(tr("{1}: not a .safetensors file (shorter than its 8-byte header length)", path))
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise BridgeError(tr("{1}: header length {2} runs past the end of the file", path, n))
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BridgeError(tr("{1}: header is not valid JSON", path))
    if not isinstance(header, dict):
        raise BridgeError(tr("{1}: header is not a JSON object", path))
    meta = header.pop("__metadata__", {}) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise BridgeError(tr("{1}: __metadata__ must map strings to strings", path))
    body = data[8 + n:]
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1].get("data_offsets", [0, 0]))
                             if isinstance(kv[1], dict) else (0, 0)):
        if not isinstance(info, dict) or "dtype" not in info or "shape" not in info \
                or "data_offsets" not in info:
            raise BridgeError(tr("{1}: tensor '{2}': header entry lacks dtype, shape or data_offsets", path, name))
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise BridgeError(tr("{1}: tensor '{2}': dtype {3} is not supported (expected F64 or F32)",
                                 path, name, info["dtype"]))
        begin, stop = info["data_offsets"]
        shape = [int(d) for d in info["shape"]]
        if begin != end:
            raise BridgeError(
                tr("{1}: tensor '{2}': data_offsets [{3}, {4}] overlap the previous tensor",
                   path, name, begin, stop) if begin < end else
                tr("{1}: tensor '{2}': data_offsets [{3}, {4}] leave a gap", path, name, begin, stop))
        if stop - begin != int(np.prod(shape)) * np.dtype(dtype).itemsize or stop > len(body):
            raise BridgeError(tr("{1}: tensor '{2}': shape {3} does not fill data_offsets [{4}, {5}]",
                                 path, name, shape, begin, stop))
        tensors[name] = np.frombuffer(body[begin:stop], dtype=dtype).reshape(shape).astype(np.float64)
        end = stop
    if end != len(body):
        raise BridgeError(tr("{1}: the data section has {2} bytes that belong to no tensor",
                             path, len(body) - end))
    return tensors, dict(meta)


def save_safetensors(path, tensors, metadata=None):
    """Writes F64 tensors in our form: names sorted, data in that order, the JSON header
    compact with sorted keys and padded with spaces to a multiple of 8 bytes — the bytes
    the lessons write. Atomic: a temporary file, then rename."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        if name == "__metadata__":
            raise BridgeError(tr("a tensor may not be called __metadata__"))
        a = np.ascontiguousarray(np.asarray(tensors[name], dtype=np.float64)).astype("<f8", copy=False)
        b = a.tobytes(order="C")
        header[name] = {"data_offsets": [offset, offset + len(b)], "dtype": "F64", "shape": list(a.shape)}
        blobs.append(b)
        offset += len(b)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = "%s.tmp%d" % (path, os.getpid())
    try:
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for b in blobs:
                f.write(b)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise BridgeError(tr("{1}: cannot write ({2})", path, e.strerror))


# ------------------------------------------------------------------ modules

def positional_encoding(n, d_model, dtype=torch.float64):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(…), as src/nn."""
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)
    angle = pos / torch.pow(torch.tensor(10000.0, dtype=torch.float64), two_i / d_model)
    pe = torch.zeros(n, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)[:, : d_model // 2]
    return pe.to(dtype)


def _activation(name):
    return {"relu": F.relu, "gelu": F.gelu}[name]  # F.gelu is the exact (erf) GELU, as ours


class FfnBlock(nn.Module):
    """Lesson 05: post-LN LN(x + FFN(x)), pre-LN x + FFN(LN(x)); FFN = linear2(act(linear1))."""

    def __init__(self, d_model, d_ff, activation="relu", norm_first=False):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.activation_name = activation
        self.norm_first = norm_first

    def forward(self, x):
        ffn = lambda h: self.linear2(_activation(self.activation_name)(self.linear1(h)))
        return x + ffn(self.norm(x)) if self.norm_first else self.norm(x + ffn(x))


class Seq2SeqTransformer(nn.Module):
    """Lesson 09's model: X = embed(ids)·√d_model + PE, nn.Transformer, logits =
    generator(h). Token id pad_id is masked as a key; the target also gets the causal mask."""

    def __init__(self, src_vocab, tgt_vocab, d_model, num_heads, d_ff, encoder_layers,
                 decoder_layers, norm_first=False, activation="relu", share_embeddings=False, pad_id=0):
        super().__init__()
        self.d_model, self.pad_id, self.share_embeddings = d_model, pad_id, share_embeddings
        self.src_embed = nn.Embedding(src_vocab, d_model)
        self.tgt_embed = self.src_embed if share_embeddings else nn.Embedding(tgt_vocab, d_model)
        self.transformer = nn.Transformer(d_model, num_heads, encoder_layers, decoder_layers, d_ff,
                                          dropout=0.0, activation=activation, batch_first=True,
                                          norm_first=norm_first)
        self.transformer.encoder.enable_nested_tensor = False  # the plain path, in float64
        if not norm_first:  # ours: a final LayerNorm only in pre-LN stacks
            self.transformer.encoder.norm = None
            self.transformer.decoder.norm = None
        self.generator = nn.Linear(d_model, tgt_vocab)
        if share_embeddings:
            self.generator.weight = self.src_embed.weight

    def embed(self, table, ids):
        return table(ids) * math.sqrt(self.d_model) + positional_encoding(
            ids.shape[1], self.d_model, table.weight.dtype)

    def encode(self, src):
        """src [B × n_src] ids → memory [B × n_src × d_model]."""
        return self.transformer.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src == self.pad_id)

    def decode(self, tgt, memory, src):
        """Decoder output h [B × n_tgt × d_model] for the target prefix tgt."""
        n = tgt.shape[1]
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
        return self.transformer.decoder(self.embed(self.tgt_embed, tgt), memory, tgt_mask=causal,
                                        tgt_key_padding_mask=tgt == self.pad_id,
                                        memory_key_padding_mask=src == self.pad_id)

    def forward(self, src, tgt):
        """Logits [B × n_tgt × tgt_vocab]."""
        return self.generator(self.decode(tgt, self.encode(src), src))

    @torch.no_grad()
    def greedy_decode(self, src, bos, eos, max_len):
        """One source [n_src] (ids) → the arg-max ids after <bos>, until <eos> (not included)
        or max_len tokens, as greedy_decode in src/nn/transformer.cpp."""
        src = torch.as_tensor(src).reshape(1, -1)
        memory = self.encode(src)
        out = [bos]
        for _ in range(max_len):
            h = self.decode(torch.tensor([out]), memory, src)
            token = int(self.generator(h[0, -1]).argmax())
            if token == eos:
                break
            out.append(token)
        return out[1:]


class TangGpt(nn.Module):
    """Lesson 11's GPT: h0 = embed(ids) + pos_embed(0 … n), pre-LN blocks of masked
    self-attention and an FFN under the causal mask (nn.TransformerEncoderLayer is exactly
    such a block), a final LayerNorm, logits = h · embed.weightᵀ (tied)."""

    def __init__(self, vocab, d_model, num_heads, d_ff, layers, max_positions, activation="gelu"):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos_embed = nn.Embedding(max_positions, d_model)
        block = nn.TransformerEncoderLayer(d_model, num_heads, d_ff, dropout=0.0, activation=activation,
                                           batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(d_model),
                                             enable_nested_tensor=False)

    def forward(self, ids):
        """ids [B × n] → logits [B × n × V]: row t scores the character at t + 1."""
        n = ids.shape[1]
        h = self.embed(ids) + self.pos_embed(torch.arange(n))
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
        return self.decoder(h, mask=causal) @ self.embed.weight.T


class MlmHead(nn.Module):
    """BERT's masked-LM head: LN(gelu(dense(h))), then the tied output and its bias."""

    def __init__(self, vocab, d_model):
        super().__init__()
        self.dense = nn.Linear(d_model, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.bias = nn.Parameter(torch.zeros(vocab))


class TangBert(nn.Module):
    """Lesson 12's BERT: h0 = embed_norm(embed(ids) + pos_embed(0 … n)), post-LN encoder
    layers with <pad> (id pad_id) masked as a key, logits = mlm_head(h) · embed.weightᵀ +
    mlm_head.bias: row t scores the character at t."""

    def __init__(self, vocab, d_model, num_heads, d_ff, layers, max_positions, activation="gelu",
                 pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.pos_embed = nn.Embedding(max_positions, d_model)
        self.embed_norm = nn.LayerNorm(d_model)
        layer = nn.TransformerEncoderLayer(d_model, num_heads, d_ff, dropout=0.0, activation=activation,
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, layers, norm=None, enable_nested_tensor=False)
        self.mlm_head = MlmHead(vocab, d_model)

    def forward(self, ids):
        """ids [B × n] → logits [B × n × V]."""
        n = ids.shape[1]
        h = self.embed_norm(self.embed(ids) + self.pos_embed(torch.arange(n)))
        h = self.encoder(h, src_key_padding_mask=ids == self.pad_id)
        t = self.mlm_head.norm(F.gelu(self.mlm_head.dense(h)))
        return t @ self.embed.weight.T + self.mlm_head.bias


class PatchEmbedding(nn.Module):
    """Lesson 14's patch embedding: the projection of each patch, the [CLS] row, the
    position rows (timm's ViT holds the same three)."""

    def __init__(self, patch_pixels, num_patches, d_model):
        super().__init__()
        self.proj = nn.Linear(patch_pixels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(d_model))
        self.pos_embed = nn.Parameter(torch.zeros(num_patches + 1, d_model))


class DigitVit(nn.Module):
    """Lesson 14's ViT: patches (cut here with reshape and permute, apart from our C++
    patchify) → [CLS ; patches · Wᵀ + b] + pos → pre-LN encoder layers with a final
    LayerNorm → head on the [CLS] row."""

    def __init__(self, image_side, patch, d_model, num_heads, d_ff, layers, classes, activation="gelu"):
        super().__init__()
        self.image_side, self.patch = image_side, patch
        n = (image_side // patch) ** 2
        self.patch_embed = PatchEmbedding(patch * patch, n, d_model)
        layer = nn.TransformerEncoderLayer(d_model, num_heads, d_ff, dropout=0.0, activation=activation,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d_model),
                                             enable_nested_tensor=False)
        self.head = nn.Linear(d_model, classes)

    def patchify(self, images):
        """images [B × H × W] → patches [B × N × p²], the grid and each patch row by row."""
        b, p, g = images.shape[0], self.patch, self.image_side // self.patch
        return images.reshape(b, g, p, g, p).permute(0, 1, 3, 2, 4).reshape(b, g * g, p * p)

    def tokens(self, images):
        """X [B × (N + 1) × d_model]."""
        e = self.patch_embed.proj(self.patchify(images))
        cls = self.patch_embed.cls_token.expand(e.shape[0], 1, -1)
        return torch.cat([cls, e], dim=1) + self.patch_embed.pos_embed

    def forward(self, images):
        """images [B × H × W] → logits [B × classes]."""
        return self.head(self.encoder(self.tokens(images))[:, 0])


def vit_to_torch(tensors, metadata):
    """Lesson 14's checkpoint (names → arrays, its metadata) → DigitVit, in eval mode."""
    size = lambda key: _size(metadata, key)
    module = DigitVit(size("image_side"), size("patch"), size("d_model"), size("num_heads"), size("d_ff"),
                      size("layers"), size("classes"), metadata.get("activation", "gelu")).to(torch.float64)
    _load(module, to_state_dict(tensors, "vit"))
    module.eval()
    return module


# ------------------------------------------------------------------ what a file holds

LESSON_OF_KIND = {"multi_head_attention": "04_multi_head", "ffn_block": "05_ffn",
                  "encoder_layer": "06_encoder", "encoder": "06_encoder",
                  "decoder_layer": "07_decoder", "decoder": "07_decoder", "transformer": "09_full_model",
                  "gpt": "11_gpt", "bert": "12_bert"}


def kind_of(names):
    """What a set of our names describes."""
    names = set(names)
    if "mlm_head.bias" in names:
        return "bert"
    if "pos_embed.weight" in names and "decoder.layers.0.self_attn.wq.weight" in names:
        return "gpt"
    if "src_embed.weight" in names:
        return "transformer"
    if "layers.0.cross_attn.wq.weight" in names:
        return "decoder"
    if "layers.0.self_attn.wq.weight" in names:
        return "encoder"
    if "cross_attn.wq.weight" in names:
        return "decoder_layer"
    if "self_attn.wq.weight" in names:
        return "encoder_layer"
    if "wq.weight" in names and "wo.weight" in names:
        return "multi_head_attention"
    if "linear1.weight" in names and "norm.weight" in names:
        return "ffn_block"
    raise BridgeError(tr("these weights are none of the modules the bridge knows (multi-head attention, "
                         "FFN block, encoder or decoder layer or stack, full model, GPT, BERT); names: {1}",
                         ", ".join(sorted(names)[:6])))


def _count_layers(names, prefix):
    found = {int(m.group(1)) for m in (re.match(re.escape(prefix) + r"layers\.(\d+)\.", n) for n in names) if m}
    if found != set(range(len(found))):
        raise BridgeError(tr("layer indices {1} under '{2}layers.' are not 0 … N−1", sorted(found), prefix))
    return len(found)


_SIZE_KEYS = ("d_model", "num_heads", "d_ff", "layers", "encoder_layers", "decoder_layers",
              "src_vocab_size", "tgt_vocab_size")


def _size(meta, key):
    value = meta[key]
    if not re.fullmatch(r"[0-9]+", value) or int(value) == 0:
        raise BridgeError(tr("metadata {1} = '{2}' is not a size (digits only, ≥ 1)", key, value))
    return int(value)


def infer_config(tensors, metadata=None, heads=None, activation=None, norm_first=None):
    """(kind, config) from the names and shapes, the metadata and what the caller says.
    Metadata wins over shapes only where the shapes cannot tell (heads, activation, the
    norm placement of a single layer); a disagreement is an error."""
    meta = dict(metadata or {})
    names = set(tensors)
    kind = kind_of(names)
    shape = lambda n: tuple(tensors[n].shape)

    def pick(key, told, inferred, default, parse):
        from_meta = parse(key) if key in meta else None
        for says, value in ((N_("the file's metadata says {1} = {2}, but the weights' names and shapes "
                                "say {3}"), from_meta),
                            (N_("the command line says {1} = {2}, but the weights' names and shapes say {3}"),
                             told)):
            if value is not None and inferred is not None and value != inferred:
                raise BridgeError(tr(says, key, value, inferred))
        if from_meta is not None and told is not None and from_meta != told:
            raise BridgeError(tr("the file's metadata says {1} = {2}, but the command line says {3}",
                                 key, from_meta, told))
        for value in (inferred, from_meta, told):
            if value is not None:
                return value
        if default is None:
            raise BridgeError(tr("the file has no metadata {1} and its shapes cannot tell it: pass --{2}",
                                 key, {"num_heads": "heads"}.get(key, key)))
        return default

    def parse_bool(key):
        if meta[key] not in ("true", "false"):
            raise BridgeError(tr("metadata {1} = '{2}' is not true or false", key, meta[key]))
        return meta[key] == "true"

    def parse_act(key):
        if meta[key] not in ("relu", "gelu"):
            raise BridgeError(tr("metadata {1} = '{2}' is not relu or gelu", key, meta[key]))
        return meta[key]

    size = lambda key: _size(meta, key)
    first_attn = {"multi_head_attention": "wq.weight", "encoder_layer": "self_attn.wq.weight",
                  "decoder_layer": "self_attn.wq.weight", "encoder": "layers.0.self_attn.wq.weight",
                  "decoder": "layers.0.self_attn.wq.weight", "ffn_block": "linear1.weight",
                  "transformer": "encoder.layers.0.self_attn.wq.weight",
                  "gpt": "decoder.layers.0.self_attn.wq.weight",
                  "bert": "encoder.layers.0.self_attn.wq.weight"}[kind]
    if first_attn not in names:
        raise BridgeError(tr("tensor '{1}' is missing", first_attn))
    cfg = {"d_model": pick("d_model", None, shape(first_attn)[1], None, size)}
    if kind != "ffn_block":
        cfg["num_heads"] = pick("num_heads", heads, None, None, size)
        if cfg["d_model"] % cfg["num_heads"]:
            raise BridgeError(tr("d_model {1} is not divisible by {2} heads", cfg["d_model"], cfg["num_heads"]))
    if kind == "multi_head_attention":
        return kind, cfg
    ffn = {"ffn_block": "linear1.weight", "encoder_layer": "ffn.linear1.weight",
           "decoder_layer": "ffn.linear1.weight", "encoder": "layers.0.ffn.linear1.weight",
           "decoder": "layers.0.ffn.linear1.weight",
           "transformer": "encoder.layers.0.ffn.linear1.weight",
           "gpt": "decoder.layers.0.ffn.linear1.weight", "bert": "encoder.layers.0.ffn.linear1.weight"}[kind]
    if ffn not in names:
        raise BridgeError(tr("tensor '{1}' is missing", ffn))
    cfg["d_ff"] = pick("d_ff", None, shape(ffn)[0], None, size)
    cfg["activation"] = pick("activation", activation, None,
                             "gelu" if kind in ("gpt", "bert") else "relu", parse_act)
    final_norm = {"encoder": "norm.weight", "decoder": "norm.weight",
                  "transformer": "encoder.norm.weight", "gpt": "decoder.norm.weight",
                  "bert": "encoder.norm.weight"}.get(kind)
    cfg["norm_first"] = pick("norm_first", norm_first, (final_norm in names) if final_norm else None,
                             False, parse_bool)
    if kind in ("encoder", "decoder"):
        cfg["layers"] = pick("layers", None, _count_layers(names, ""), None, size)
    if kind in ("encoder_layer", "decoder_layer") and "layers" in meta and size("layers") != 1:
        raise BridgeError(tr("metadata layers = {1}, but the weights hold one layer", meta["layers"]))
    if kind in ("gpt", "bert"):
        stack = "decoder" if kind == "gpt" else "encoder"
        if cfg["norm_first"] != (kind == "gpt"):
            raise BridgeError(tr("a GPT is pre-LN (decoder.norm)") if kind == "gpt"
                              else tr("a BERT is post-LN (no encoder.norm)"))
        for n in ("embed.weight", "pos_embed.weight"):
            if n not in names:
                raise BridgeError(tr("tensor '{1}' is missing", n))
        cfg[stack + "_layers"] = pick(stack + "_layers", None, _count_layers(names, stack + "."), None, size)
        cfg["src_vocab_size"] = pick("src_vocab_size", None, shape("embed.weight")[0], None, size)
        cfg["max_positions"] = pick("max_positions", None, shape("pos_embed.weight")[0], None, size)
    if kind == "transformer":
        cfg["encoder_layers"] = pick("encoder_layers", None, _count_layers(names, "encoder."), None, size)
        cfg["decoder_layers"] = pick("decoder_layers", None, _count_layers(names, "decoder."), None, size)
        cfg["share_embeddings"] = "tgt_embed.weight" not in names
        cfg["src_vocab_size"] = pick("src_vocab_size", None, shape("src_embed.weight")[0], None, size)
        if "generator.bias" not in names:
            raise BridgeError(tr("tensor '{1}' is missing", "generator.bias"))
        cfg["tgt_vocab_size"] = pick("tgt_vocab_size", None, shape("generator.bias")[0], None, size)
    return kind, cfg


def build_module(kind, cfg, dtype=torch.float64):
    """A fresh PyTorch module of the kind, with the sizes of cfg (dropout 0, batch_first)."""
    d, act, nf = cfg["d_model"], cfg.get("activation", "relu"), cfg.get("norm_first", False)
    h, d_ff = cfg.get("num_heads"), cfg.get("d_ff")
    enc_layer = lambda: nn.TransformerEncoderLayer(d, h, d_ff, dropout=0.0, activation=act,
                                                   batch_first=True, norm_first=nf)
    dec_layer = lambda: nn.TransformerDecoderLayer(d, h, d_ff, dropout=0.0, activation=act,
                                                   batch_first=True, norm_first=nf)
    if kind == "multi_head_attention":
        m = nn.MultiheadAttention(d, h, batch_first=True)
    elif kind == "ffn_block":
        m = FfnBlock(d, d_ff, act, nf)
    elif kind == "encoder_layer":
        m = enc_layer()
    elif kind == "decoder_layer":
        m = dec_layer()
    elif kind == "encoder":
        m = nn.TransformerEncoder(enc_layer(), cfg["layers"], norm=nn.LayerNorm(d) if nf else None,
                                  enable_nested_tensor=False)
    elif kind == "decoder":
        m = nn.TransformerDecoder(dec_layer(), cfg["layers"], norm=nn.LayerNorm(d) if nf else None)
    elif kind == "gpt":
        m = TangGpt(cfg["src_vocab_size"], d, h, d_ff, cfg["decoder_layers"], cfg["max_positions"], act)
    elif kind == "bert":
        m = TangBert(cfg["src_vocab_size"], d, h, d_ff, cfg["encoder_layers"], cfg["max_positions"], act,
                     cfg.get("pad_id", 0))
    elif kind == "transformer":
        m = Seq2SeqTransformer(cfg["src_vocab_size"], cfg["tgt_vocab_size"], d, h, d_ff,
                               cfg["encoder_layers"], cfg["decoder_layers"], nf, act,
                               cfg.get("share_embeddings", False), cfg.get("pad_id", 0))
    else:
        raise BridgeError(tr("unknown module kind '{1}'", kind))
    return m.to(dtype)


# ------------------------------------------------------------------ names

_QKV = ("wq", "wk", "wv")


def torch_name(ours, kind):
    """(PyTorch name, block) for one of our names; block is 0/1/2 for the wq/wk/wv rows of
    in_proj_*, else None."""
    parts = ours.split(".")
    if kind == "transformer" and parts[0] in ("encoder", "decoder"):
        parts = ["transformer"] + parts
    parts = ["multihead_attn" if p == "cross_attn" else p for p in parts]
    if kind != "ffn_block":
        parts = [p for i, p in enumerate(parts)
                 if not (p == "ffn" and i + 1 < len(parts) and parts[i + 1] in ("linear1", "linear2"))]
    if len(parts) >= 2 and parts[-2] in _QKV:
        return ".".join(parts[:-2] + ["in_proj_" + parts[-1]]), _QKV.index(parts[-2])
    if len(parts) >= 2 and parts[-2] == "wo":
        parts[-2] = "out_proj"
    return ".".join(parts), None


def our_names(tname, kind):
    """[(our name, block)] for one PyTorch name (three for in_proj_*)."""
    parts = tname.split(".")
    if kind == "transformer" and parts[0] == "transformer":
        parts = parts[1:]
    parts = ["cross_attn" if p == "multihead_attn" else p for p in parts]
    if kind != "ffn_block" and len(parts) >= 2 and parts[-2] in ("linear1", "linear2"):
        parts = parts[:-2] + ["ffn"] + parts[-2:]
    if len(parts) >= 2 and parts[-2] == "out_proj":
        parts[-2] = "wo"
    if parts[-1] in ("in_proj_weight", "in_proj_bias"):
        leaf = parts[-1][len("in_proj_"):]
        return [(".".join(parts[:-1] + [w, leaf]), i) for i, w in enumerate(_QKV)]
    return [(".".join(parts), None)]


def to_state_dict(tensors, kind):
    """Our {name: array} → PyTorch's {name: float64 tensor}."""
    pieces = {}
    for ours, a in tensors.items():
        tname, block = torch_name(ours, kind)
        pieces.setdefault(tname, {})[block] = torch.from_numpy(np.array(a, dtype=np.float64))
    sd = {}
    for tname, p in pieces.items():
        if None in p:
            sd[tname] = p[None]
        else:
            missing = [_QKV[i] for i in range(3) if i not in p]
            if missing:
                raise BridgeError(tr("{1}: {2} missing (PyTorch packs wq, wk, wv into one tensor)",
                                     tname, ", ".join(missing)))
            sd[tname] = torch.cat([p[0], p[1], p[2]], dim=0)
    return sd


def to_torch(tensors, metadata=None, heads=None, activation=None, norm_first=None, dtype=torch.float64):
    """Our weights (names → arrays) → the PyTorch module, weights loaded, in eval mode."""
    kind, cfg = infer_config(tensors, metadata, heads, activation, norm_first)
    module = build_module(kind, cfg, torch.float64)
    sd = to_state_dict(tensors, kind)
    if cfg.get("share_embeddings"):
        sd["generator.weight"] = sd["src_embed.weight"]
        sd["tgt_embed.weight"] = sd["src_embed.weight"]
    _load(module, sd)
    module.eval()
    return module.to(dtype)


def _load(module, sd):
    want = module.state_dict()
    missing = sorted(set(want) - set(sd))
    extra = sorted(set(sd) - set(want))
    if missing or extra:
        raise BridgeError(tr("the names do not fit {1}: missing {2}; not in the module {3}",
                             type(module).__name__, missing[:4] or tr("none"), extra[:4] or tr("none")))
    for k, t in sd.items():
        if tuple(t.shape) != tuple(want[k].shape):
            raise BridgeError(tr("{1} has shape {2}, {3} expects {4}",
                                 k, list(t.shape), type(module).__name__, list(want[k].shape)))
    module.load_state_dict({k: t.to(want[k].dtype) for k, t in sd.items()})


# ------------------------------------------------------------------ from PyTorch

def _act_name(fn):
    if fn is F.relu or isinstance(fn, nn.ReLU):
        return "relu"
    if fn is F.gelu or (isinstance(fn, nn.GELU) and getattr(fn, "approximate", "none") == "none"):
        return "gelu"
    raise BridgeError(tr("activation {1} is neither ReLU nor exact GELU", repr(fn)))


def _check_mha(m, where):
    if not m._qkv_same_embed_dim or m.in_proj_bias is None or m.bias_k is not None or m.add_zero_attn:
        raise BridgeError(tr("{1}: only nn.MultiheadAttention with kdim = vdim = embed_dim, bias=True, "
                             "no add_bias_kv, no add_zero_attn is ours", where))


def _layer_config(layer, where):
    _check_mha(layer.self_attn, where + ".self_attn")
    if hasattr(layer, "multihead_attn"):
        _check_mha(layer.multihead_attn, where + ".multihead_attn")
    if layer.norm1.eps != 1e-5:
        raise BridgeError(tr("{1}: LayerNorm eps is {2}; ours is 1e-5", where, "%g" % layer.norm1.eps))
    return {"d_model": layer.self_attn.embed_dim, "num_heads": layer.self_attn.num_heads,
            "d_ff": layer.linear1.out_features, "activation": _act_name(layer.activation),
            "norm_first": bool(layer.norm_first)}


def _stack_config(stack, where):
    cfgs = [_layer_config(l, "%s.layers.%d" % (where, i)) for i, l in enumerate(stack.layers)]
    if any(c != cfgs[0] for c in cfgs):
        raise BridgeError(tr("{1}: the layers differ in size or kind", where))
    cfg = dict(cfgs[0], layers=len(cfgs))
    if (stack.norm is not None) != cfg["norm_first"]:
        raise BridgeError(tr("{1}: a post-LN stack with a final norm; ours has a final norm exactly when "
                             "pre-LN (set norm=None)", where) if stack.norm is not None
                          else tr("{1}: a pre-LN stack without a final norm; ours has a final norm exactly "
                                  "when pre-LN (set norm=LayerNorm(d_model))", where))
    return cfg


def module_config(module):
    """(kind, config) of a supported PyTorch module."""
    if isinstance(module, nn.MultiheadAttention):
        _check_mha(module, "MultiheadAttention")
        return "multi_head_attention", {"d_model": module.embed_dim, "num_heads": module.num_heads}
    if isinstance(module, FfnBlock):
        return "ffn_block", {"d_model": module.linear1.in_features, "d_ff": module.linear1.out_features,
                             "activation": module.activation_name, "norm_first": module.norm_first}
    if isinstance(module, nn.TransformerEncoderLayer):
        return "encoder_layer", _layer_config(module, "TransformerEncoderLayer")
    if isinstance(module, nn.TransformerDecoderLayer):
        return "decoder_layer", _layer_config(module, "TransformerDecoderLayer")
    if isinstance(module, nn.TransformerEncoder):
        return "encoder", _stack_config(module, "TransformerEncoder")
    if isinstance(module, nn.TransformerDecoder):
        return "decoder", _stack_config(module, "TransformerDecoder")
    if isinstance(module, (TangGpt, TangBert)):
        gpt = isinstance(module, TangGpt)
        stack = module.decoder if gpt else module.encoder
        cfg = _stack_config(stack, "decoder" if gpt else "encoder")
        if cfg["norm_first"] != gpt:
            raise BridgeError(tr("{1}: its blocks must be pre-LN", type(module).__name__) if gpt
                              else tr("{1}: its blocks must be post-LN", type(module).__name__))
        layers = cfg.pop("layers")
        cfg.update({("decoder_layers" if gpt else "encoder_layers"): layers,
                    "src_vocab_size": module.embed.num_embeddings,
                    "max_positions": module.pos_embed.num_embeddings})
        if not gpt:
            cfg["pad_id"] = module.pad_id
        return ("gpt" if gpt else "bert"), cfg
    if isinstance(module, Seq2SeqTransformer):
        enc = _stack_config(module.transformer.encoder, "transformer.encoder")
        dec = _stack_config(module.transformer.decoder, "transformer.decoder")
        if {k: v for k, v in enc.items() if k != "layers"} != {k: v for k, v in dec.items() if k != "layers"}:
            raise BridgeError(tr("the encoder and decoder differ in size or kind"))
        cfg = {k: v for k, v in enc.items() if k != "layers"}
        cfg.update(encoder_layers=enc["layers"], decoder_layers=dec["layers"],
                   src_vocab_size=module.src_embed.num_embeddings,
                   tgt_vocab_size=module.generator.out_features,
                   share_embeddings=module.share_embeddings, pad_id=module.pad_id)
        return "transformer", cfg
    raise BridgeError(tr("{1} is not a module the bridge knows", type(module).__name__))


def metadata_for(kind, cfg, task=None):
    """Our __metadata__ for a module, with the keys the lessons write."""
    meta = {"lesson": LESSON_OF_KIND[kind], "d_model": str(cfg["d_model"])}
    for key in ("num_heads", "d_ff", "layers", "encoder_layers", "decoder_layers",
                "src_vocab_size", "tgt_vocab_size", "max_positions"):
        if key in cfg:
            meta[key] = str(cfg[key])
    if kind in ("gpt", "bert"):
        meta["architecture"] = "decoder_only" if kind == "gpt" else "encoder_only"
    if kind == "gpt":
        meta["tgt_vocab_size"] = str(cfg["src_vocab_size"])  # one vocabulary, as the lesson writes
    if kind in ("encoder_layer", "decoder_layer"):
        meta["layers"] = "1"
    if "norm_first" in cfg:
        meta["norm_first"] = "true" if cfg["norm_first"] else "false"
    if "activation" in cfg:
        meta["activation"] = cfg["activation"]
    if task:
        meta["task"] = task
    return meta


def from_torch(module, metadata=None):
    """A supported PyTorch module → ({our name: float64 array}, metadata). Given metadata
    (what an exported file held) is kept as it is, after checking that its sizes are the
    module's; without it, the metadata is made from the module."""
    kind, cfg = module_config(module)
    made = metadata_for(kind, cfg)
    meta = dict(metadata) if metadata else made
    for key, value in made.items():
        if key != "lesson" and key in meta and meta[key] != value:
            raise BridgeError(tr("metadata {1} = {2}, but the module has {3}", key, meta[key], value))
    return from_state_dict(module.state_dict(), kind, cfg), meta


def from_state_dict(sd, kind, cfg=None):
    """PyTorch's {name: tensor} → our {name: float64 array}."""
    out = {}
    skip = set()
    if kind == "transformer" and (cfg or {}).get("share_embeddings"):
        skip = {"tgt_embed.weight", "generator.weight"}  # one table, saved as src_embed.weight
    for tname, t in sd.items():
        if tname in skip:
            continue
        a = t.detach().cpu().to(torch.float64).numpy()
        for ours, block in our_names(tname, kind):
            if block is None:
                out[ours] = a.copy()
            else:
                d = a.shape[0] // 3
                out[ours] = a[block * d:(block + 1) * d].copy()
    return out


def kind_of_state_dict(sd):
    """The kind of a bare state_dict, from PyTorch's names."""
    names = set(sd)
    if "src_embed.weight" in names:
        return "transformer"
    if {"linear1.weight", "norm.weight"} <= names and not any("self_attn" in n for n in names):
        return "ffn_block"
    ours = set()
    for n in names:
        ours.update(o for o, _ in our_names(n, "encoder"))
    return kind_of(ours)


# ------------------------------------------------------------------ .pt files

def save_pt(path, module, metadata=None):
    kind, cfg = module_config(module)
    torch.save({"format": "tfm pytorch_bridge 1", "module": type(module).__name__, "kind": kind,
                "config": cfg, "metadata": dict(metadata or metadata_for(kind, cfg)),
                "state_dict": module.state_dict()}, path)


def load_pt(path, heads=None, activation=None, norm_first=None):
    """(module, metadata) from a .pt: our dict, a pickled module, or a bare state_dict."""
    try:
        obj = torch.load(path, map_location="cpu")
    except FileNotFoundError:
        raise BridgeError(tr("{1}: no such file", path))
    except Exception as e:  # pickle errors come in many classes
        raise BridgeError(tr("{1}: cannot be read by torch.load ({2})", path, str(e).splitlines()[0]))
    if isinstance(obj, nn.Module):
        module_config(obj)
        return obj.double().eval(), None
    if isinstance(obj, dict) and "state_dict" in obj and "kind" in obj:
        kind, cfg, sd = obj["kind"], dict(obj["config"]), obj["state_dict"]
        meta = dict(obj.get("metadata") or {})
    elif isinstance(obj, dict) and all(isinstance(v, torch.Tensor) for v in obj.values()):
        sd = obj
        kind = kind_of_state_dict(sd)
        _, cfg = infer_config(from_state_dict(sd, kind, {"share_embeddings": False}), None,
                              heads, activation, norm_first)
        if kind == "transformer" and "tgt_embed.weight" in sd:
            cfg["share_embeddings"] = bool(torch.equal(sd["src_embed.weight"], sd["tgt_embed.weight"])
                                           and "generator.weight" in sd
                                           and torch.equal(sd["src_embed.weight"], sd["generator.weight"]))
        meta = None
    else:
        raise BridgeError(tr("{1}: neither a module, a state_dict nor a file this bridge exported", path))
    module = build_module(kind, cfg)
    _load(module, {k: v.to(torch.float64) for k, v in sd.items()})
    return module.eval(), meta


# ------------------------------------------------------------------ command line

def export_file(weights, out, heads=None, activation=None, norm_first=None):
    tensors, meta = load_safetensors(weights)
    module = to_torch(tensors, meta, heads, activation, norm_first)
    save_pt(out, module, meta or None)  # no metadata in the file: made from the module
    return module


def import_file(pt, weights, heads=None, activation=None, norm_first=None):
    module, meta = load_pt(pt, heads, activation, norm_first)
    tensors, meta = from_torch(module, meta)
    save_safetensors(weights, tensors, meta)
    return tensors, meta


def describe(module):
    kind, cfg = module_config(module)
    n = sum(p.numel() for p in module.parameters())
    # TRANSLATORS: between the sizes of a module: "d_model 8, num_heads 2, d_ff 32".
    sizes = tr(", ").join("%s %s" % (k, v) for k, v in cfg.items())
    return tr("{1} ({2}), {3} parameters", type(module).__name__, sizes, format(n, ","))


# argparse's own words: it asks gettext for them (argparse._), with its %-fields. Each is a
# message of ours here, {1}, {2} standing for those fields in their order.
_ARGPARSE_WORDS = {
    "usage: ": (N_("usage: "),),
    "positional arguments": (N_("positional arguments"),),
    "options": (N_("options"),),
    "show this help message and exit": (N_("show this help message and exit"),),
    "argument %(argument_name)s: %(message)s": (N_("argument {1}: {2}"), "%(argument_name)s", "%(message)s"),
    "invalid choice: %(value)r (choose from %(choices)s)":
        (N_("invalid choice: {1} (choose from {2})"), "%(value)r", "%(choices)s"),
    "invalid %(type)s value: %(value)r": (N_("invalid {1} value: {2}"), "%(type)s", "%(value)r"),
    "the following arguments are required: %s": (N_("the following arguments are required: {1}"), "%s"),
    "unrecognized arguments: %s": (N_("unrecognized arguments: {1}"), "%s"),
    "expected one argument": (N_("expected one argument"),),
    "ambiguous option: %(option)s could match %(matches)s":
        (N_("ambiguous option: {1} could match {2}"), "%(option)s", "%(matches)s"),
    "ignored explicit argument %r": (N_("ignored explicit argument {1}"), "%r"),
}


def _argparse_words(text):
    if text not in _ARGPARSE_WORDS:
        return text
    msgid, *fields = _ARGPARSE_WORDS[text]
    return tr(msgid, *fields) if fields else tr(msgid)


def _error_lines(message):
    """The course's two lines on an error (the C++ programs' guarded_main): PROGRAM: error:
    MESSAGE, then Try 'PROGRAM --help'."""
    line = re.sub(r"[\r\n]", " ", str(message))
    return "%s\n%s\n" % (tr("{1}: error: {2}", PROGRAM, line), tr("Try '{1} --help'.", PROGRAM))


class _Parser(argparse.ArgumentParser):
    """argparse, with errors in the course's two-line form (exit status 2)."""

    def error(self, message):
        sys.stderr.write(_error_lines(message))
        sys.exit(2)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's layout, with the colon after a heading ("options:") in the language's form."""

    def format_help(self):
        # TRANSLATORS: a heading of --help, such as "options:".
        return re.sub(r"(?m)^(\S.*):$", lambda m: tr("{1}:", m.group(1)), super().format_help())


def _parser():
    parser = _Parser(
        prog=PROGRAM, description=tr("Weights between the course's .safetensors files and PyTorch modules."),
        epilog=tr("examples:\n  {1}\n  {2}\ndocs: {3} (Weights in PyTorch)",
                  "tools/pytorch_bridge.py export data/dates.safetensors dates.pt",
                  "tools/pytorch_bridge.py import dates.pt dates2.safetensors", "docs/formats.md"),
        formatter_class=_Formatter)
    lang_help = tr("the language to speak: en or zh (without it: LANGUAGE, LC_ALL, LC_MESSAGES, LANG, "
                   "as GNU programs read them)")
    parser.add_argument("--lang", choices=("en", "zh"), metavar="LANG", help=lang_help)  # language_of reads it
    sub = parser.add_subparsers(dest="command", metavar="{export,import}", parser_class=_Parser)
    for name, src, dst, what in (("export", "W.safetensors", "OUT.pt", N_("a weights file → a PyTorch .pt")),
                                 ("import", "IN.pt", "W.safetensors", N_("a PyTorch .pt → a weights file"))):
        p = sub.add_parser(name, help=tr(what), description=tr(what), formatter_class=_Formatter)
        p.add_argument("source", metavar=src)
        p.add_argument("target", metavar=dst)
        p.add_argument("--heads", type=int, default=None,
                       help=tr("attention heads, for a file without that metadata"))
        p.add_argument("--activation", choices=("relu", "gelu"), default=None,
                       help=tr("for a file without that metadata (default: relu)"))
        p.add_argument("--norm-first", dest="norm_first", action="store_const", const=True, default=None,
                       help=tr("pre-LN, for a single layer without that metadata (default: post-LN)"))
        p.add_argument("-q", "--quiet", action="store_true", help=tr("print nothing on success"))
        p.add_argument("--lang", choices=("en", "zh"), metavar="LANG", help=lang_help)
    return parser


def _run(argv):
    args = _parser().parse_args(argv)
    if args.command is None:
        sys.stderr.write(_error_lines(tr("say export or import")))
        return 2
    try:
        if args.heads is not None and args.heads < 1:
            raise BridgeError(tr("--heads must be ≥ 1 (got {1})", args.heads))
        if args.command == "export":
            module = export_file(args.source, args.target, args.heads, args.activation, args.norm_first)
            if not args.quiet:
                print(tr("{1} → {2}: {3}", args.source, args.target, describe(module)))
        else:
            tensors, _ = import_file(args.source, args.target, args.heads, args.activation, args.norm_first)
            if not args.quiet:
                print(tr("{1} → {2}: {3} tensors, {4} numbers", args.source, args.target, len(tensors),
                         format(sum(a.size for a in tensors.values()), ",")))
    except BridgeError as e:
        sys.stderr.write(_error_lines(e))
        return 2
    return 0


def main(argv=None):
    """The command line; returns the exit status. Speaks --lang's language, else the
    environment's, as the C++ programs (guarded_main in src/cli/options.cpp)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        language, given = language_of(argv)
        try:
            set_language(language)
        except BridgeError as e:
            if given:
                raise
            # Only the environment asked for Chinese: say why the bridge speaks English.
            sys.stderr.write(tr("{1}: warning: {2}; speaking English", PROGRAM, e) + "\n")
    except BridgeError as e:
        sys.stderr.write(_error_lines(e))
        return 2
    words, argparse._ = argparse._, _argparse_words
    try:
        return _run(argv)
    finally:
        argparse._ = words
        set_language("en")


if __name__ == "__main__":
    sys.exit(main())
