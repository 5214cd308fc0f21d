"""Baselines a trained model must beat, on a shard folder (docs/SHARDS.md): for each of form and joint angles,
the MAE on SPLIT of predicting (1) the train split's mean, (2) each exercise's train mean, and (3) a ridge
regression per exercise on each window's coordinate statistics (per coordinate: minimum, maximum, mean,
standard deviation and mean absolute frame-to-frame change; standardized on train).

Usage: .mediapipe/venv/bin/python tools/train_baselines.py SHARDS [SPLIT=val] [LAMBDA=1]
Windows whose form or angle label is missing (flags) are left out of that head's figures.
"""
import glob, json, os, sys
import numpy as np

def load(folder, split):
    path = os.path.join(folder, split)
    json.load(open(os.path.join(path, "index.json")))  # fails loudly on a folder that is not a shard split
    arrays = {k: [] for k in ("x", "form", "angles", "exercise", "flags")}
    for x in sorted(glob.glob(os.path.join(path, "shard-*.x.npy"))):
        for k in arrays:
            arrays[k].append(np.load(x[:-len("x.npy")] + k + ".npy"))
    if not arrays["x"]:
        sys.exit(f"{path}: no windows")
    return {k: np.concatenate(v) for k, v in arrays.items()}

def features(x):
    n, t = x.shape[:2]
    f = x.reshape(n, t, -1).astype(np.float64)
    return np.concatenate([f.min(1), f.max(1), f.mean(1), f.std(1), np.abs(np.diff(f, axis=1)).mean(1)], 1)

def main():
    folder, split = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "val"
    lam = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    train, test = load(folder, "train"), load(folder, split)
    ft, fe = features(train["x"]), features(test["x"])
    mu, sd = ft.mean(0), ft.std(0) + 1e-6
    ft, fe = (ft - mu) / sd, (fe - mu) / sd
    for head, column, flag in (("form", "form", 0), ("angles", "angles", 1)):
        y, ye = train[column].reshape(len(ft), -1), test[column].reshape(len(fe), -1)
        known, known_e = train["flags"][:, flag] > 0, test["flags"][:, flag] > 0
        ex, ex_e = train["exercise"], test["exercise"]
        mean = np.abs(ye[known_e] - y[known].mean(0)).mean()
        per_ex, ridge = np.full_like(ye, np.nan), np.full_like(ye, np.nan)
        for e in np.unique(ex_e[known_e]):
            rows, rows_e = known & (ex == e), known_e & (ex_e == e)
            if not rows.any():
                continue
            per_ex[rows_e] = y[rows].mean(0)
            a = np.c_[ft[rows], np.ones(rows.sum())]
            w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ y[rows])
            ridge[rows_e] = np.c_[fe[rows_e], np.ones(rows_e.sum())] @ w
        print(json.dumps({"head": head, "split": split, "windows": int(known_e.sum()),
                          "mae_train_mean": round(float(mean), 2),
                          "mae_exercise_mean": round(float(np.nanmean(np.abs(per_ex - ye)[known_e])), 2),
                          "mae_ridge": round(float(np.nanmean(np.abs(ridge - ye)[known_e])), 2)}))

if __name__ == "__main__":
    main()
