#!/usr/bin/env python3
"""PyTorch CPU peer of the TensorFlow.js two-tower recommender, for speed comparison.

Same shapes and math as the tfjs model:
  user tower: state emb (n_states x 8) + favourite-category emb (n_categories x 16) + 12 numeric
              -> concat (36) -> Linear 128 + ReLU -> Linear 64 -> L2-normalise
  item tower: item-id emb (n_items x 32) + category emb (n_categories x 16) + 8 numeric
              -> concat (56) -> Linear 128 + ReLU -> Linear 64 -> L2-normalise
  logits = U @ I^T / 0.05 (optionally minus log q[item] per column), softmax cross-entropy with the
  diagonal as labels (in-batch negatives), mean over the batch; Adam lr 1e-3, dense gradients.
Initialisation follows the tfjs defaults (embeddings uniform(-0.05, 0.05), Dense glorot-uniform
kernels, zero biases) so first-step losses are comparable.

Synthetic data (not timed): a pool of rows with Zipf-distributed item ids (popular items repeat),
uniform states / favourite categories, a fixed uniform category and fixed standard-normal numeric
features per item, standard-normal numeric user features. Batches are consecutive slices of the pool.

Prints exactly one JSON line to stdout; everything else goes to stderr. Exit 3 when torch is missing.
"""

from __future__ import annotations

import argparse
import os
import json
import sys
import time

TEMPERATURE = 0.05
USER_NUMERIC = 12
ITEM_NUMERIC = 8
POOL_ROWS = 100_000
ZIPF_EXPONENT = 1.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n-items", type=int, default=32951)
    p.add_argument("--n-categories", type=int, default=75)
    p.add_argument("--n-states", type=int, default=28)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--logq", action="store_true", help="subtract log(q[item]) from each logit column")
    p.add_argument(
        "--lazy-embeddings",
        action="store_true",
        help="sparse embedding gradients + SparseAdam (lazy Adam: only rows in the batch move), Adam for the dense layers: the update rule the tfjs model uses",
    )
    args = p.parse_args()
    for name in ("n_items", "n_categories", "n_states", "batch", "steps", "threads"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1")
    if args.warmup < 0:
        p.error("--warmup must be >= 0")
    return args


def main() -> int:
    args = parse_args()
    # Debian's torch does its matrix products in OpenBLAS (pthread build), whose own thread pool ignores
    # torch.set_num_threads: keep it to one thread (set before numpy/torch load it) so --threads alone
    # decides the parallelism and two pools do not oversubscribe the cores.
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
        from torch import nn
    except ImportError as e:  # torch (or numpy) not installed
        print(f"two_tower_torch: cannot import torch: {e}", file=sys.stderr)
        return 3

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    # ---- synthetic data, generated up front (not timed) ----
    pool = max(POOL_ROWS, args.batch)
    ranks = np.arange(1, args.n_items + 1, dtype=np.float64)
    zipf = ranks ** -ZIPF_EXPONENT
    zipf /= zipf.sum()
    popularity_order = rng.permutation(args.n_items)  # which item id holds which popularity rank
    item_ids_np = popularity_order[rng.choice(args.n_items, size=pool, p=zipf)]
    item_category_table = rng.integers(0, args.n_categories, size=args.n_items)
    item_numeric_table = rng.standard_normal((args.n_items, ITEM_NUMERIC), dtype=np.float32)

    item_ids = torch.from_numpy(item_ids_np.astype(np.int64))
    item_cat = torch.from_numpy(item_category_table[item_ids_np].astype(np.int64))
    item_num = torch.from_numpy(item_numeric_table[item_ids_np])
    user_state = torch.from_numpy(rng.integers(0, args.n_states, size=pool).astype(np.int64))
    user_fav = torch.from_numpy(rng.integers(0, args.n_categories, size=pool).astype(np.int64))
    user_num = torch.from_numpy(rng.standard_normal((pool, USER_NUMERIC), dtype=np.float32))
    # q: empirical item sampling probability over the pool (every sampled item has q > 0).
    counts = np.bincount(item_ids_np, minlength=args.n_items).astype(np.float32)
    q = torch.from_numpy(counts / counts.sum())

    n_batches = pool // args.batch
    batches = [
        tuple(t[b * args.batch:(b + 1) * args.batch].contiguous() for t in (user_state, user_fav, user_num, item_ids, item_cat, item_num))
        for b in range(n_batches)
    ]

    # ---- model ----
    def embedding(n: int, dim: int) -> nn.Embedding:
        e = nn.Embedding(n, dim, sparse=args.lazy_embeddings)
        nn.init.uniform_(e.weight, -0.05, 0.05)  # tfjs embedding default
        return e

    def dense(n_in: int, n_out: int) -> nn.Linear:
        lin = nn.Linear(n_in, n_out)
        nn.init.xavier_uniform_(lin.weight)  # tfjs Dense default: glorotUniform kernel, zero bias
        nn.init.zeros_(lin.bias)
        return lin

    class UserTower(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.state = embedding(args.n_states, 8)
            self.fav = embedding(args.n_categories, 16)
            self.h = dense(8 + 16 + USER_NUMERIC, 128)
            self.out = dense(128, 64)

        def forward(self, state: torch.Tensor, fav: torch.Tensor, num: torch.Tensor) -> torch.Tensor:
            x = torch.cat([self.state(state), self.fav(fav), num], dim=1)
            return F.normalize(self.out(F.relu(self.h(x))), p=2.0, dim=1, eps=1e-12)

    class ItemTower(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.item = embedding(args.n_items, 32)
            self.cat = embedding(args.n_categories, 16)
            self.h = dense(32 + 16 + ITEM_NUMERIC, 128)
            self.out = dense(128, 64)

        def forward(self, item: torch.Tensor, cat: torch.Tensor, num: torch.Tensor) -> torch.Tensor:
            x = torch.cat([self.item(item), self.cat(cat), num], dim=1)
            return F.normalize(self.out(F.relu(self.h(x))), p=2.0, dim=1, eps=1e-12)

    user_tower = UserTower()
    item_tower = ItemTower()
    params = list(user_tower.parameters()) + list(item_tower.parameters())
    embedding_params = [m.weight for m in list(user_tower.modules()) + list(item_tower.modules()) if isinstance(m, nn.Embedding)]
    dense_params = [p for p in params if all(p is not e for e in embedding_params)]
    optimizers = (
        [torch.optim.Adam(dense_params, lr=0.001), torch.optim.SparseAdam(embedding_params, lr=0.001)]
        if args.lazy_embeddings
        else [torch.optim.Adam(params, lr=0.001)]
    )
    labels = torch.arange(args.batch)

    def step(batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        state, fav, unum, items, icat, inum = batch
        u = user_tower(state, fav, unum)
        i = item_tower(items, icat, inum)
        logits = u @ i.t() / TEMPERATURE
        if args.logq:
            logits = logits - torch.log(q[items]).unsqueeze(0)  # column j corrected by log q of item j
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        for optimizer in optimizers:
            optimizer.step()
            optimizer.zero_grad()
        return loss.detach()

    total = args.warmup + args.steps
    loss_first = float("nan")
    for s in range(args.warmup):
        loss = step(batches[s % n_batches])
        if s == 0:
            loss_first = loss.item()

    t0 = time.perf_counter()
    for s in range(args.warmup, total):
        loss = step(batches[s % n_batches])
        if s == 0:
            loss_first = loss.item()  # only when warmup == 0 (one extra sync, negligible)
    seconds = time.perf_counter() - t0
    loss_last = loss.item()


    print(
        f"two_tower_torch: torch {torch.__version__}, {args.threads} thread(s), {total} steps "
        f"({args.warmup} warm-up), pool {pool} rows / {n_batches} batches, logq={args.logq}",
        file=sys.stderr,
    )
    result = {
        "torch_version": torch.__version__,
        "threads": args.threads,
        "batch": args.batch,
        "steps": args.steps,
        "seconds": seconds,
        "steps_per_second": args.steps / seconds,
        "samples_per_second": args.steps * args.batch / seconds,
        "loss_first": loss_first,
        "loss_last": loss_last,
        "n_items": args.n_items,
        "lazy_embeddings": args.lazy_embeddings,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
