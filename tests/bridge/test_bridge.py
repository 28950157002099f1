#!/usr/bin/python3
"""Tests of tools/pytorch_bridge.py against the lessons, run by tests/bridge/run.sh.

    /usr/bin/python3 tests/bridge/test_bridge.py [BUILD]     (from the repository root)

Each check prints "ok NAME" or "FAILED NAME: why" (with the largest difference where it
compares numbers); the last line is "bridge: N passed, M failed". The round trips:

  lesson --save-weights W --dump-dir D    (the lesson's input X and output.npy)
  → pytorch_bridge.py export W OUT.pt     → PyTorch's forward on X   = output.npy  (≤ 1e-12)
  → pytorch_bridge.py import OUT.pt W2    → W2 has the same bytes as W
  a PyTorch module with other weights     → import → lesson --weights --input X
                                          → the lesson's output = PyTorch's (≤ 1e-12)
and the shipped dates model: PyTorch's greedy decoding of "25 November 2026" is
2026-11-25, and its probabilities are lesson 09's.
"""
import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import pytorch_bridge as pb  # noqa: E402

# English unless a check says otherwise (a learner's LANG=zh_CN.UTF-8 must not change the
# text the checks read; the language checks set the environment they test).
os.environ["LANGUAGE"] = "en"

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
LESSONS = os.path.join(ROOT, BUILD, "lessons")
BRIDGE = [sys.executable, os.path.join(ROOT, "tools", "pytorch_bridge.py")]
TOL = 1e-12
TMP = tempfile.mkdtemp(prefix="tfm_bridge_")
passed, failed = 0, 0


def check(name):
    """Decorator: runs the check at once, counts it, prints ok/FAILED."""
    def run(fn):
        global passed, failed
        try:
            note = fn()
            print("ok %s%s" % (name, " (%s)" % note if note else ""))
            passed += 1
        except Exception as e:  # a failed check, whatever broke
            print("FAILED %s: %s" % (name, e))
            traceback.print_exc(limit=3, file=sys.stdout)
            failed += 1
        return fn
    return run


def sh(cmd, expect=0, env=None):
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if expect is not None and r.returncode != expect:
        raise AssertionError("%s exited %d (expected %d): %s" % (" ".join(cmd), r.returncode, expect,
                                                                 (r.stderr or r.stdout).strip()[-400:]))
    return r


def lesson(name, *args):
    return sh([os.path.join(LESSONS, name), "--quiet", "--color", "never"] + list(args))


class Ran:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def bridge(*args, expect=0, cli=False, env=None):
    """pytorch_bridge.py ARGS: in this process (PyTorch loads once), or with cli=True as
    its own process, as a user runs it; env: the process's whole environment."""
    if cli:
        return sh(BRIDGE + list(args), expect, env)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = pb.main(list(args))
        except SystemExit as e:  # argparse's errors
            code = e.code
    r = Ran(code, out.getvalue(), err.getvalue())
    if expect is not None and code != expect:
        raise AssertionError("pytorch_bridge.py %s exited %s (expected %d): %s"
                             % (" ".join(args), code, expect, (r.stderr or r.stdout).strip()[-400:]))
    return r


def folder(tag):
    d = os.path.join(TMP, tag)
    os.makedirs(d, exist_ok=True)
    return d


def npy(d, name):
    return np.load(os.path.join(d, name + ".npy"))


def max_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, "shapes %s and %s" % (a.shape, b.shape)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def close(a, b, what):
    d = max_diff(a, b)
    assert d <= TOL, "%s differ by %.3g > %g" % (what, d, TOL)
    return d


def causal(n):
    return torch.triu(torch.ones(n, n, dtype=torch.bool), 1)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64)).unsqueeze(0)  # batch of one


def forward(module, kind, inputs, mask):
    """PyTorch's forward on the lesson's inputs, with grad on (PyTorch's plain path)."""
    with torch.enable_grad():
        if kind == "mha":
            x = t(inputs["X"])
            y = module(x, x, x, attn_mask=causal(x.shape[1]) if mask == "causal" else None, need_weights=False)[0]
        elif kind == "ffn":
            y = module(t(inputs["X"]))
        elif kind == "encoder":
            y = module(t(inputs["X"]))
        else:
            y_in = t(inputs["Y"])
            y = module(y_in, t(inputs["memory"]), tgt_mask=causal(y_in.shape[1]))
    return y.detach()[0].numpy()


def fresh_module(module, seed):
    """The same module class and sizes with other weights: PyTorch's own init, then every
    LayerNorm moved off 1/0, so that nothing matches by accident."""
    kind, cfg = pb.module_config(module)
    torch.manual_seed(seed)
    other = pb.build_module(kind, cfg)
    with torch.no_grad():
        for m in other.modules():
            if isinstance(m, torch.nn.LayerNorm):
                m.weight.copy_(1 + 0.3 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
            elif isinstance(m, torch.nn.MultiheadAttention):
                m.in_proj_bias.uniform_(-0.3, 0.3)
                m.out_proj.bias.uniform_(-0.3, 0.3)
    return other.eval()


# (lesson, options, kind, input files the lesson dumps, mask)
CASES = [
    ("04_multi_head", [], "mha", ["X"], None),
    ("04_multi_head", ["--heads", "4", "--d-model", "12", "--mask", "causal"], "mha", ["X"], "causal"),
    ("05_ffn", [], "ffn", ["X"], None),
    ("05_ffn", ["--norm-first", "--activation", "gelu", "--d-ff", "20"], "ffn", ["X"], None),
    ("06_encoder", [], "encoder", ["X"], None),
    ("06_encoder", ["--layers", "3", "--norm-first", "--activation", "gelu", "--heads", "4", "--d-model", "12",
                    "--d-ff", "20"], "encoder", ["X"], None),
    ("06_encoder", ["--layers", "1"], "encoder", ["X"], None),
    ("06_encoder", ["--layers", "1", "--norm-first"], "encoder", ["X"], None),
    ("07_decoder", [], "decoder", ["Y", "memory"], None),
    ("07_decoder", ["--layers", "3", "--norm-first", "--activation", "gelu", "--heads", "4", "--d-model", "12",
                    "--d-ff", "20"], "decoder", ["Y", "memory"], None),
    ("07_decoder", ["--layers", "1", "--norm-first"], "decoder", ["Y", "memory"], None),
]
INPUT_OPTION = {"X": "--input", "Y": "--input", "memory": "--memory"}
worst = {"lesson → PyTorch": 0.0, "PyTorch → lesson": 0.0}

for i, (name, opts, kind, inputs, mask) in enumerate(CASES):
    label = "%s %s" % (name, " ".join(opts) or "(defaults)")
    d = folder("case%d" % i)
    w, pt, w2 = (os.path.join(d, f) for f in ("w.safetensors", "w.pt", "w2.safetensors"))
    state = {}

    @check("%s: lesson → PyTorch gives the lesson's output" % label)
    def _():
        lesson(name, *opts, "--save-weights", w, "--dump-dir", os.path.join(d, "a"))
        bridge("export", w, pt, "-q")
        module, meta = pb.load_pt(pt)
        state["module"] = module
        xs = {f: npy(os.path.join(d, "a"), f) for f in inputs}
        diff = close(forward(module, kind, xs, mask), npy(os.path.join(d, "a"), "output"), "outputs")
        worst["lesson → PyTorch"] = max(worst["lesson → PyTorch"], diff)
        return "%s, max |diff| %.1e" % (type(module).__name__, diff)

    @check("%s: import of the export is the same file, byte for byte" % label)
    def _():
        bridge("import", pt, w2, "-q")
        with open(w, "rb") as a, open(w2, "rb") as b:
            assert a.read() == b.read(), "the files differ"

    @check("%s: PyTorch → lesson gives PyTorch's output" % label)
    def _():
        other = fresh_module(state["module"], 1000 + i)
        mine = os.path.join(d, "torch_module.pt")
        torch.save(other, mine)  # a whole pickled module, as a user might save one
        w3 = os.path.join(d, "w3.safetensors")
        bridge("import", mine, w3, "-q", cli=i == 2)  # FfnBlock is this file's class: unpickled by the script
        args = list(opts) + ["--weights", w3, "--dump-dir", os.path.join(d, "b")]
        for f in inputs:
            args += [INPUT_OPTION[f], os.path.join(d, "a", f + ".npy")]
        lesson(name, *args)
        xs = {f: npy(os.path.join(d, "a"), f) for f in inputs}
        ours = npy(os.path.join(d, "b"), "output")
        assert max_diff(ours, npy(os.path.join(d, "a"), "output")) > 1e-3, "the new weights changed nothing"
        diff = close(ours, forward(other, kind, xs, mask), "outputs")
        worst["PyTorch → lesson"] = max(worst["PyTorch → lesson"], diff)
        return "max |diff| %.1e" % diff


@check("PyTorch's fast path (eval, no grad) agrees with the plain path")
def _():
    d = os.path.join(TMP, "case5")
    module, _ = pb.load_pt(os.path.join(d, "w.pt"))
    x = t(npy(os.path.join(d, "a"), "X"))
    with torch.no_grad():
        fast = module(x)[0].numpy()
    return "max |diff| %.1e vs the lesson" % close(fast, npy(os.path.join(d, "a"), "output"), "outputs")


# ------------------------------------------------------------------ PyTorch's own fixtures

FIXTURES = os.path.join(ROOT, "tests", "reference", "fixtures")


def pad_keys(flags):
    return torch.tensor(flags, dtype=torch.bool).unsqueeze(0)


def fixture_output(name, module, cfg):
    """The fixture's input through the bridge's module, and what PyTorch computed then."""
    f = lambda n: np.load(os.path.join(FIXTURES, name, n + ".npy"))
    with torch.enable_grad():
        if cfg["module"] in ("EncoderLayer", "Encoder"):
            y = module(t(f("input")), src_key_padding_mask=pad_keys(cfg["key_is_pad"]))[0]
        elif cfg["module"] in ("DecoderLayer", "Decoder"):
            y = module(t(f("input")), t(f("memory")), tgt_mask=causal(cfg["n_tgt"]),
                       memory_key_padding_mask=pad_keys(cfg["memory_key_is_pad"]))[0]
        else:  # Transformer
            src = torch.tensor(f("src_ids").astype(np.int64)).unsqueeze(0)
            tgt = torch.tensor(f("tgt_ids").astype(np.int64)).unsqueeze(0)
            y = module(src, tgt)[0]
            return y.detach().numpy(), f("logits")
    return y.detach().numpy(), f("output")


@check("PyTorch-made fixtures (tests/reference): to_torch reproduces PyTorch's outputs, padding masks "
       "and shared embeddings included")
def _():
    names = sorted(n for n in os.listdir(FIXTURES) if n.startswith(("encoder_", "decoder_", "transformer_")))
    assert len(names) >= 10, names
    worst_fixture = 0.0
    for name in names:
        with open(os.path.join(FIXTURES, name, "config.json")) as fh:
            cfg = json.load(fh)
        tensors, meta = pb.load_safetensors(os.path.join(FIXTURES, name, "weights.safetensors"))
        module = pb.to_torch(tensors, meta, heads=cfg["num_heads"], activation=cfg["activation"],
                             norm_first=cfg["norm_first"])
        mine, theirs = fixture_output(name, module, cfg)
        worst_fixture = max(worst_fixture, close(mine, theirs, name))
        back, _ = pb.from_torch(module)
        assert set(back) == set(tensors) and all(np.array_equal(back[k], tensors[k]) for k in tensors), name
    return "%d fixtures, max |diff| %.1e" % (len(names), worst_fixture)


# ------------------------------------------------------------------ the dates model

DATES = os.path.join(ROOT, "data", "dates.safetensors")
dates = {}


@check("dates model: PyTorch's greedy decoding of '25 November 2026' is 2026-11-25")
def _():
    d = folder("dates")
    pt = os.path.join(d, "dates.pt")
    bridge("export", DATES, pt, "-q", cli=True)
    module, meta = pb.load_pt(pt)
    # The checkpoint's own vocabulary, one token per line (the space a line of one space).
    vocab = pb.load_safetensors(DATES)[1]["vocabulary"].split("\n")[:-1]
    ids = {tok: i for i, tok in enumerate(vocab)}
    src = [ids.get(c, ids["<unk>"]) for c in "25 November 2026"]
    out = module.greedy_decode(src, ids["<bos>"], ids["<eos>"], 11)
    text = "".join(vocab[i] for i in out)
    assert text == "2026-11-25", "decoded %r" % text
    dates.update(module=module, src=src, out=out, ids=ids, pt=pt, d=d)
    return "Seq2SeqTransformer, %s parameters" % format(sum(p.numel() for p in module.parameters()), ",")


@check("dates model: PyTorch's probabilities are lesson 09's")
def _():
    d = dates["d"]
    lesson("09_full_model", "--text", "25 November 2026", "--weights", DATES, "--dump-dir", os.path.join(d, "a"))
    probs = npy(os.path.join(d, "a"), "probs")
    tgt = ([dates["ids"]["<bos>"]] + dates["out"] + [dates["ids"]["<eos>"]])[:probs.shape[0]]
    with torch.enable_grad():
        logits = dates["module"](torch.tensor([dates["src"]]), torch.tensor([tgt]))
    mine = torch.softmax(logits.detach()[0], dim=-1).numpy()
    return "max |diff| %.1e over %d × %d" % (close(mine, probs, "probabilities"), *probs.shape)


@check("dates model: import of the export is data/dates.safetensors byte for byte")
def _():
    back = os.path.join(dates["d"], "dates2.safetensors")
    bridge("import", dates["pt"], back, "-q")
    with open(DATES, "rb") as a, open(back, "rb") as b:
        assert a.read() == b.read(), "the files differ"


# ------------------------------------------------------------------ lessons 11 and 12

POEM_MODELS = (  # (lesson, checkpoint, options, the ids it dumps, PyTorch's class)
    ("11_gpt", "tang_gpt.safetensors", ["--poems", "1"], "prompt.ids", "TangGpt"),
    ("12_bert", "tang_bert.safetensors", ["--eval-poems", "1", "--text", "春眠不觉<mask>，处处闻啼<mask>。"],
     "text.ids", "TangBert"),
)
for _lesson, _file, _opts, _ids, _cls in POEM_MODELS:
    @check("%s: PyTorch's logits are the lesson's, from the shipped %s" % (_lesson, _file))
    def _(lesson_name=_lesson, file=_file, opts=_opts, ids_name=_ids, cls=_cls):
        if not os.path.exists("/usr/share/games/fortunes/tang300") and "TFM_POEMS" not in os.environ:
            raise AssertionError("the poems (fortunes-zh) are not installed")
        d = folder("poems-" + lesson_name)
        weights = os.path.join(ROOT, "data", file)
        pt = os.path.join(d, "model.pt")
        bridge("export", weights, pt, "-q")
        module, _ = pb.load_pt(pt)
        assert type(module).__name__ == cls, "exported as %s" % type(module).__name__
        lesson(lesson_name, *opts, "--dump-dir", os.path.join(d, "a"))
        ids = torch.tensor(npy(os.path.join(d, "a"), ids_name).astype(np.int64)).reshape(1, -1)
        with torch.enable_grad():
            logits = module(ids).detach()[0].numpy()
        ref = npy(os.path.join(d, "a"), "logits")
        back = os.path.join(d, "back.safetensors")
        bridge("import", pt, back, "-q")
        with open(weights, "rb") as a, open(back, "rb") as b:
            assert a.read() == b.read(), "the import of the export differs from %s" % file
        return "%s, max |diff| %.1e over %d × %d; the import of the export is the file byte for byte" % (
            cls, close(logits, ref, "logits"), *ref.shape)


@check("12_bert in PyTorch: <pad> keys change no real row, as in the lesson")
def _():
    tensors, meta = pb.load_safetensors(os.path.join(ROOT, "data", "tang_bert.safetensors"))
    module = pb.to_torch(tensors, meta)
    ids = torch.tensor([[2, 10, 11, 4, 12, 13]])
    padded = torch.tensor([[2, 10, 11, 4, 12, 13, 0, 0], [2, 14, 4, 15, 0, 0, 0, 0]])
    with torch.enable_grad():
        one, both = module(ids).detach(), module(padded).detach()
    return "max |diff| %.1e" % close(both[0, :6].numpy(), one[0].numpy(), "the padded batch's rows")


# ------------------------------------------------------------------ lesson 14

@check("14_images: PyTorch's ViT gives the lesson's X and probabilities, from the shipped vit_digits")
def _():
    tensors, meta = pb.load_safetensors(os.path.join(ROOT, "data", "vit_digits.safetensors"))
    module = pb.vit_to_torch(tensors, meta)
    worst_x = worst_p = 0.0
    for digit, index in (("7", "0"), ("3", "12"), ("0", "99")):
        d = folder("vit-%s-%s" % (digit, index))
        lesson("14_images", "--digit", digit, "--index", index, "--dump-dir", d)
        image = torch.tensor(npy(d, "image")).reshape(1, 16, 16)
        with torch.enable_grad():
            x = module.tokens(image).detach()[0].numpy()
            p = torch.softmax(module(image).detach()[0], dim=-1).numpy()
        worst_x = max(worst_x, close(x, npy(d, "X"), "X"))
        worst_p = max(worst_p, close(p, npy(d, "output").reshape(-1), "probabilities"))
    return "DigitVit on 3 held-out images: X max |diff| %.1e, probabilities %.1e" % (worst_x, worst_p)


# ------------------------------------------------------------------ files without metadata

@check("a file without metadata: export needs --heads, infers the rest from names and shapes")
def _():
    d = os.path.join(TMP, "case5")  # 06_encoder, 3 pre-LN gelu layers, 4 heads, d_model 12
    tensors, meta = pb.load_safetensors(os.path.join(d, "w.safetensors"))
    bare = os.path.join(d, "bare.safetensors")
    pb.save_safetensors(bare, tensors)
    assert pb.load_safetensors(bare)[1] == {}
    r = bridge("export", bare, os.path.join(d, "bare.pt"), expect=2, cli=True)
    assert r.stderr.startswith("pytorch_bridge.py: error: ") and "--heads" in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) == 2, r.stderr
    bridge("export", bare, os.path.join(d, "bare.pt"), "--heads", "4", "--activation", "gelu", "-q")
    module, _ = pb.load_pt(os.path.join(d, "bare.pt"))
    kind, cfg = pb.module_config(module)
    assert cfg == {"d_model": 12, "num_heads": 4, "d_ff": 20, "activation": "gelu", "norm_first": True,
                   "layers": 3}, cfg
    diff = close(forward(module, "encoder", {"X": npy(os.path.join(d, "a"), "X")}, None),
                 npy(os.path.join(d, "a"), "output"), "outputs")
    return "max |diff| %.1e" % diff


@check("a bare state_dict imports with --heads, and the lesson runs it")
def _():
    d = os.path.join(TMP, "case4")  # 06_encoder at its defaults
    module, _ = pb.load_pt(os.path.join(d, "w.pt"))
    other = fresh_module(module, 7)
    sd_path = os.path.join(d, "state_dict.pt")
    torch.save(other.state_dict(), sd_path)
    w = os.path.join(d, "from_sd.safetensors")
    r = bridge("import", sd_path, w, expect=2)
    assert "--heads" in r.stderr, r.stderr
    bridge("import", sd_path, w, "--heads", "2", "-q")
    lesson("06_encoder", "--weights", w, "--input", os.path.join(d, "a", "X.npy"), "--dump-dir", os.path.join(d, "c"))
    x = {"X": npy(os.path.join(d, "a"), "X")}
    return "max |diff| %.1e" % close(npy(os.path.join(d, "c"), "output"), forward(other, "encoder", x, None),
                                      "outputs")


@check("metadata that disagrees with the command line or the shapes is refused, exit 2")
def _():
    d = os.path.join(TMP, "case4")
    w = os.path.join(d, "w.safetensors")
    r = bridge("export", w, os.path.join(d, "x.pt"), "--heads", "4", expect=2)
    assert "num_heads = 2" in r.stderr and "4" in r.stderr, r.stderr
    tensors, meta = pb.load_safetensors(w)
    bad = os.path.join(d, "bad.safetensors")
    pb.save_safetensors(bad, tensors, dict(meta, d_ff="33"))
    r = bridge("export", bad, os.path.join(d, "x.pt"), expect=2)
    assert "d_ff = 33" in r.stderr and "32" in r.stderr, r.stderr
    pb.save_safetensors(bad, tensors, dict(meta, num_heads="2x"))
    r = bridge("export", bad, os.path.join(d, "x.pt"), expect=2)
    assert "'2x'" in r.stderr, r.stderr


@check("bad input: a missing file, a file that is not safetensors, an unknown module, exit 2")
def _():
    d = folder("bad")
    for args, says in ((["export", os.path.join(d, "none.safetensors"), os.path.join(d, "o.pt")], "cannot read"),
                       (["import", os.path.join(d, "none.pt"), os.path.join(d, "o.safetensors")], "no such file"),
                       (["frobnicate"], "invalid choice")):
        r = bridge(*args, expect=2, cli=True)
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("pytorch_bridge.py: error: ") and says in lines[0], r.stderr
        assert lines[1] == "Try 'pytorch_bridge.py --help'.", r.stderr
    junk = os.path.join(d, "junk.safetensors")
    with open(junk, "wb") as f:
        f.write(b"\x05\x00\x00\x00\x00\x00\x00\x00{oops")
    assert "not valid JSON" in bridge("export", junk, os.path.join(d, "o.pt"), expect=2).stderr
    pb.save_safetensors(junk, {"embed.weight": np.zeros((3, 2))})
    assert "none of the modules" in bridge("export", junk, os.path.join(d, "o.pt"), expect=2).stderr


@check("the bridge's reader takes F32, widened exactly, and the metadata")
def _():
    d = folder("f32")
    a = np.arange(6, dtype=np.float32).reshape(2, 3) / 3
    header = json.dumps({"x": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                         "__metadata__": {"k": "v"}}).encode()
    with open(os.path.join(d, "f32.safetensors"), "wb") as f:
        f.write(len(header).to_bytes(8, "little") + header + a.astype("<f4").tobytes())
    tensors, meta = pb.load_safetensors(os.path.join(d, "f32.safetensors"))
    assert meta == {"k": "v"} and tensors["x"].dtype == np.float64
    assert np.array_equal(tensors["x"], a.astype(np.float64))


# ------------------------------------------------------------------ two languages

LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
CATALOGUE = os.path.join(ROOT, BUILD, "locale")  # the catalogue of the build under test


@contextlib.contextmanager
def environment(**values):
    """os.environ with the locale variables (and TFM_LOCALEDIR) set to values, or unset."""
    saved = dict(os.environ)
    for k in LOCALE_VARS + ("TFM_LOCALEDIR",):
        os.environ.pop(k, None)
    os.environ.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def chinese(text, names=()):
    """text is Chinese: no ASCII letter is left once the names (files, tensors, modules,
    sizes), the program's name and the option names are taken out."""
    for n in sorted(set(names) | {pb.PROGRAM}, key=len, reverse=True):
        text = text.replace(n, " ")
    text = re.sub(r"--[a-z][a-z0-9-]*", " ", text)
    assert not re.search(r"[A-Za-z]", text), "English left in %r" % text
    assert re.search(r"[\u4e00-\u9fff]", text), "no Chinese in %r" % text


_spec = importlib.util.spec_from_file_location("check_lang", os.path.join(ROOT, "tools", "check-lang.py"))
check_lang = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_lang)


def english_lines(text):
    """The lines check-lang.py calls English narration (four English words in a row); the
    example commands of --help are commands, not narration."""
    runs = lambda line: check_lang.WORDS.findall(check_lang.NAMES.sub("x", line))
    return [line for line in text.splitlines() if not line.startswith("  tools/pytorch_bridge.py ")
            and any(re.search(r"[a-z]{2}", run) for run in runs(line))]


def sizes_of(module):
    kind, cfg = pb.module_config(module)
    return [type(module).__name__] + ["%s" % x for kv in cfg.items() for x in kv]


@check("--lang zh: export and import say their lines in Chinese, write the same files; --lang anywhere")
def _():
    d = os.path.join(TMP, "case4")  # 06_encoder at its defaults
    w, pt, w2 = (os.path.join(d, f) for f in ("w.safetensors", "zh.pt", "zh.safetensors"))
    with environment(TFM_LOCALEDIR=CATALOGUE):
        r = bridge("--lang", "zh", "export", w, pt)
        module, _ = pb.load_pt(pt)
        assert r.stdout.startswith("%s → %s：%s（" % (w, pt, type(module).__name__)), r.stdout
        chinese(r.stdout, [w, pt] + sizes_of(module))
        r = bridge("import", pt, w2, "--lang", "zh")
        chinese(r.stdout, [pt, w2])
        assert "个张量" in r.stdout, r.stdout
    with open(w, "rb") as a, open(w2, "rb") as b:
        assert a.read() == b.read(), "the Chinese run wrote another file"
    return r.stdout.strip()


@check("--lang zh: errors are PROGRAM：错误：… and the hint, in Chinese, exit 2 (as the C++ programs)")
def _():
    d = folder("zh")
    none = os.path.join(d, "none.pt")
    env = dict(os.environ, LANGUAGE="en", TFM_LOCALEDIR=CATALOGUE)
    r = bridge("--lang", "zh", "import", none, os.path.join(d, "o.safetensors"), expect=2, cli=True, env=env)
    assert r.stderr == "%s：错误：%s：没有这个文件\n请运行“%s --help”查看用法。\n" % (
        pb.PROGRAM, none, pb.PROGRAM), r.stderr
    bare = os.path.join(d, "bare.safetensors")
    pb.save_safetensors(bare, pb.load_safetensors(os.path.join(TMP, "case4", "w.safetensors"))[0])
    with environment(TFM_LOCALEDIR=CATALOGUE):
        for args, names in ((["export", bare, os.path.join(d, "o.pt")], [bare, "num_heads"]),
                            (["export", "--heads", "x", bare, os.path.join(d, "o.pt")], ["int", "'x'"]),
                            (["export", bare], ["OUT.pt"]),
                            ([], ["export", "import"])):
            r = bridge("--lang", "zh", *args, expect=2)
            lines = r.stderr.splitlines()
            assert len(lines) == 2 and lines[0].startswith(pb.PROGRAM + "：错误："), r.stderr
            chinese(r.stderr, names)


@check("--lang zh --help: no English narration, the headings and argparse's own words in Chinese")
def _():
    with environment(TFM_LOCALEDIR=CATALOGUE):
        for args in ([], ["export"], ["import"]):
            r = bridge("--lang", "zh", *args, "--help")
            assert not english_lines(r.stdout), english_lines(r.stdout)
            for word in ("用法：", "位置参数：", "选项：", "打印本帮助，然后退出"):
                assert word in r.stdout, (word, r.stdout)
            assert not re.search(r"usage|positional|options|show this", r.stdout), r.stdout


@check("the environment chooses the language as GNU programs read it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)")
def _():
    for env, want in (({"LANGUAGE": "zh", "LANG": "en_US.UTF-8"}, "zh"),
                      ({"LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
                      ({"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
                      ({"LANGUAGE": ":", "LANG": "zh_TW.UTF-8"}, "zh"),
                      ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
                      ({"LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
                      ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
                      ({"LANG": "fr_FR.UTF-8"}, "en"), ({}, "en")):
        with environment(**env):
            assert pb.language_from_environment() == want, (env, want)
    with environment(LANGUAGE="zh", LANG="en_US.UTF-8", TFM_LOCALEDIR=CATALOGUE):
        assert bridge(expect=2).stderr.startswith(pb.PROGRAM + "：错误：")
        assert bridge("--lang", "en", expect=2).stderr.startswith(pb.PROGRAM + ": error: ")
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS + ("TFM_LOCALEDIR",)}
    r = bridge(expect=2, cli=True, env=dict(env, LC_ALL="zh_CN.UTF-8", TFM_LOCALEDIR=CATALOGUE))
    assert r.stderr.startswith(pb.PROGRAM + "：错误："), r.stderr
    with environment():
        assert pb.catalogue_folder() == os.path.join(ROOT, "build", "locale")


@check("--lang fr, --lang without a value, and --lang zh without a catalogue exit 2; the environment only warns")
def _():
    for args, says in ((["--lang", "fr", "export", "a", "b"],
                        "--lang: 'fr' is not a language of the course (en or zh)"),
                       (["export", "a", "b", "--lang"], "option 'lang' requires an argument (en or zh)"),
                       (["--lang=zh", "export", "a", "b"], "--lang zh: the Chinese catalogue ")):
        with environment(LANGUAGE="zh", TFM_LOCALEDIR=os.path.join(TMP, "no-catalogue")):
            r = bridge(*args, expect=2)
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("%s: error: %s" % (pb.PROGRAM, says)), r.stderr
        assert lines[1] == "Try '%s --help'." % pb.PROGRAM, r.stderr
    with environment(LANG="zh_CN.UTF-8", TFM_LOCALEDIR=os.path.join(TMP, "no-catalogue")):
        r = bridge(expect=2)
    assert r.stderr.splitlines()[0].startswith("%s: warning: --lang zh: the Chinese catalogue " % pb.PROGRAM)
    assert r.stderr.splitlines()[0].endswith("; speaking English"), r.stderr
    assert r.stderr.splitlines()[1:] == ["%s: error: say export or import" % pb.PROGRAM,
                                         "Try '%s --help'." % pb.PROGRAM], r.stderr


@check("English is as it was: the success lines, an error, --help")
def _():
    d = os.path.join(TMP, "case4")
    w, pt, w2 = (os.path.join(d, f) for f in ("w.safetensors", "en.pt", "en.safetensors"))
    r = bridge("export", w, pt)
    module, _ = pb.load_pt(pt)
    kind, cfg = pb.module_config(module)
    assert r.stdout == "%s → %s: %s (%s), %s parameters\n" % (
        w, pt, type(module).__name__, ", ".join("%s %s" % kv for kv in cfg.items()),
        format(sum(p.numel() for p in module.parameters()), ",")), r.stdout
    tensors = pb.load_safetensors(w)[0]
    r = bridge("import", pt, w2)
    assert r.stdout == "%s → %s: %d tensors, %s numbers\n" % (
        pt, w2, len(tensors), format(sum(a.size for a in tensors.values()), ",")), r.stdout
    r = bridge("import", os.path.join(d, "none.pt"), w2, expect=2)
    assert r.stderr == "%s: error: %s: no such file\nTry '%s --help'.\n" % (
        pb.PROGRAM, os.path.join(d, "none.pt"), pb.PROGRAM), r.stderr
    r = bridge("--help")
    for line in ("usage: pytorch_bridge.py [-h] [--lang LANG] {export,import} ...", "positional arguments:",
                 "options:", "  -h, --help       show this help message and exit", "examples:",
                 "docs: docs/formats.md (Weights in PyTorch)"):
        assert line in r.stdout.splitlines(), (line, r.stdout)


print("bridge: largest differences: lesson → PyTorch %.1e, PyTorch → lesson %.1e"
      % (worst["lesson → PyTorch"], worst["PyTorch → lesson"]))
shutil.rmtree(TMP, ignore_errors=True)
print("bridge: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
