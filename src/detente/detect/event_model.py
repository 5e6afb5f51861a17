"""The learned event model: a fine-tuned MiniLM that reads each sentence with its context, run by onnxruntime.

For every sentence it gives the probability that the sentence reports a specific event of each PLOVER type
(multi-label: a sentence may report an attack and the arrests after it), a distribution over modalities, and the
phrases it reads as the source and the target of the sentence's event (a tag per word piece, joined into
character spans of the sentence). It is
trained by ``scripts/train_event_model.py`` (torch, in the training venv) on the examples of
``detect.event_data`` and shipped as ``data/models/event-model-v2.onnx`` with a manifest (``.json``: label order,
inputs, version, sha256, the ids it was trained on) and the tokenizer it was trained with. Everything is checked on
load: a manifest that does not fit the file, the labels or this code is one clear error (E611), never a fallback.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .. import ontology
from ..errors import DetenteError

MODEL = "event-model-v2"
VERSION = 2
MODALITIES = ("asserted", "negated", "hypothetical", "future", "claimed", "denied")
ROLES = ("O", "source", "target")
DEFAULT_MIN_CONFIDENCE = 0.5
"""The coder's default output threshold on event confidence: the best F1 of the real-news dev split's precision
curve with this model (docs/model.md). ``--min-confidence 0`` keeps every event."""


def model_dir() -> Path:
    return Path(str(resources.files("detente") / "data" / "models"))


@dataclass(frozen=True)
class RoleSpan:
    """A phrase the model tags as the source or the target: characters [start, end) of the sentence, the mean
    probability of that tag over its word pieces."""

    start: int
    end: int
    side: str
    p: float


@dataclass(frozen=True)
class Reading:
    """The model's reading of one sentence: P(type) for every PLOVER type, P(modality), the tagged roles."""

    types: dict[str, float]
    modality: dict[str, float]
    roles: tuple[RoleSpan, ...] = ()
    tags: tuple | None = field(default=None, repr=False, compare=False)  # (sentence, encoding, per-piece probs)

    @functools.cached_property
    def tagged(self) -> tuple[RoleSpan, ...]:
        """The role spans, joined from the word-piece tags only when asked (most sentences are never parsed)."""
        return self.roles or (role_spans(*self.tags) if self.tags is not None else ())

    def spans(self, side: str, floor: float = 0.5) -> list[RoleSpan]:
        return [r for r in self.tagged if r.side == side and r.p >= floor]

    def best(self) -> tuple[str, float]:
        return max(self.types.items(), key=lambda kv: kv[1])


class EventModel:
    """``EventModel().initialize().read(sentences, contexts)`` → one :class:`Reading` per sentence."""

    def __init__(self, path: str | Path | None = None, *, batch_size: int = 32, threads: int | None = None) -> None:
        self.path = Path(path) if path else model_dir() / MODEL
        self.batch_size = batch_size
        self.threads = threads

    def initialize(self) -> EventModel:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        manifest_path = self.path.with_suffix(".json")
        if not manifest_path.is_file():
            raise DetenteError("E611", path=manifest_path, detail="the model manifest is missing; run `make train`")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        onnx_path = self.path.parent / manifest.get("file", "")
        problems = []
        if manifest.get("version") != VERSION:
            problems.append(f"version {manifest.get('version')} (this detente reads {VERSION})")
        types = manifest.get("outputs", {}).get("types")
        if sorted(types or []) != sorted(ontology.PLOVER_TYPES):
            problems.append("its type labels are not the ontology's PLOVER types")
        if tuple(manifest.get("outputs", {}).get("modality") or ()) != MODALITIES:
            problems.append("its modality labels differ from schema.Modality")
        if tuple(manifest.get("outputs", {}).get("roles") or ()) != ROLES:
            problems.append(f"its role tags are not {ROLES}")
        if not onnx_path.is_file():
            problems.append(f"{onnx_path.name} is missing")
        elif hashlib.sha256(onnx_path.read_bytes()).hexdigest() != manifest.get("sha256"):
            problems.append(f"{onnx_path.name} does not match the manifest's sha256")
        if problems:
            raise DetenteError("E611", path=manifest_path, detail="; ".join(problems))
        self.manifest_ = manifest
        self.types_ = tuple(types)
        self.max_len_ = int(manifest.get("max_len", 96))
        self.trained_ids_ = frozenset(manifest.get("trained_ids") or ())
        tok_path = self.path.parent / (self.path.name + ".tokenizer") / "tokenizer.json"
        self.tok_ = Tokenizer.from_file(str(tok_path))
        self.tok_.enable_truncation(self.max_len_, strategy="longest_first")
        self.tok_.no_padding()
        opts = ort.SessionOptions()
        threads = self.threads or int(os.environ.get("DETENTE_THREADS", "0") or 0) or min(2, os.cpu_count() or 1)
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session_ = ort.InferenceSession(str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"])
        return self

    def read(self, sentences: Sequence[str], contexts: Sequence[str] | None = None) -> list[Reading]:
        contexts = contexts if contexts is not None else [""] * len(sentences)
        out: list[Reading | None] = [None] * len(sentences)
        encs = self.tok_.encode_batch(list(zip(sentences, [c or "" for c in contexts])))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # similar lengths batch together
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            segs = np.zeros_like(ids)
            for row, i in enumerate(idx):
                e = encs[i]
                n = len(e.ids)
                ids[row, :n], mask[row, :n], segs[row, :n] = e.ids, e.attention_mask, e.type_ids
            types, modality, roles = self.session_.run(None, {"input_ids": ids, "attention_mask": mask,
                                                              "token_type_ids": segs})
            r = np.exp(roles - roles.max(2, keepdims=True))
            p_roles = r / r.sum(2, keepdims=True)
            p_types = 1.0 / (1.0 + np.exp(-types))
            m = np.exp(modality - modality.max(1, keepdims=True))
            p_mod = m / m.sum(1, keepdims=True)
            for row, i in enumerate(idx):
                out[i] = Reading({t: float(p) for t, p in zip(self.types_, p_types[row])},
                                 {t: float(p) for t, p in zip(MODALITIES, p_mod[row])},
                                 tags=(sentences[i], encs[i], p_roles[row]))
        return out  # type: ignore[return-value]


_WORD_CHAR = re.compile(r"\w")


def role_spans(text: str, enc, probs: np.ndarray) -> tuple[RoleSpan, ...]:
    """Join the sentence's word pieces tagged source or target (their most probable tag) into character spans,
    widened to whole words; a piece inside a word takes the word's first piece's tag."""
    runs: list[list] = []  # [start, end, side, [p, …]]
    seqs = enc.sequence_ids
    for j, ((a, b), seq) in enumerate(zip(enc.offsets, seqs)):
        if seq != 0 or b <= a:
            continue
        k = int(probs[j].argmax())
        inside = runs and runs[-1][1] == a and a > 0 and _WORD_CHAR.match(text[a - 1]) and _WORD_CHAR.match(text[a])
        if inside:  # a word piece continues the previous word: same tag
            runs[-1][1] = b
            continue
        if k == 0:
            runs.append([a, b, None, []])
            continue
        prev = runs[-1] if runs else None
        if prev is not None and prev[2] == ROLES[k] and not text[prev[1]:a].strip():
            prev[1] = b
            prev[3].append(float(probs[j, k]))
        else:
            runs.append([a, b, ROLES[k], [float(probs[j, k])]])
    return tuple(RoleSpan(s, e, side, round(sum(ps) / len(ps), 3)) for s, e, side, ps in runs if side)


def context_of(title: str | None, text: str, spans: list[tuple[int, int]], i: int) -> str:
    """What the model reads beside sentence ``i`` of ``text``: the title and the previous sentence, as in training."""
    parts = [title.strip()] if title and title.strip() else []
    if i > 0:
        s, e = spans[i - 1]
        parts.append(text[s:e].strip())
    return " | ".join(parts)


def shipped() -> bool:
    """Whether the package holds an event model (its manifest)."""
    return (model_dir() / MODEL).with_suffix(".json").is_file()


@functools.lru_cache(maxsize=2)
def load_event_model(path: str | None = None) -> EventModel:
    """The shipped event model, loaded once per process."""
    return EventModel(path).initialize()
