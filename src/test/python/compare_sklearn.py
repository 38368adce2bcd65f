"""Compares `ntk4j classify` / `ntk4j regress` with scikit-learn's RBF support-vector machine and
random forest on the same outer folds (ntk4j's --format json reports the fold of every row).
Each sklearn model is tuned the same way ntk4j is: features standardised on the training part,
hyperparameters by 3-fold inner cross-validation (GridSearchCV) on the training part.

usage: python3 src/test/python/compare_sklearn.py [--jar target/ntk4j.jar] [--seed 0]
Needs scikit-learn (Debian: apt-get install python3-sklearn; then run with /usr/bin/python3).
Prints one JSON line per data set: mean ± sd of accuracy (or RMSE) over the 5 folds, per method."""
import argparse, gzip, json, subprocess, sys
import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import GridSearchCV, StratifiedKFold, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

# name, file, has a header line, command, extra options (digits has pixels that are 0 in every
# image: ntk4j refuses constant columns unless told to drop them, as StandardScaler does silently)
SETS = [("iris", "examples/data/iris.csv", True, "classify", []),
        ("wine", "examples/data/wine_data.csv", True, "classify", []),
        ("breast_cancer", "examples/data/breast_cancer.csv", True, "classify", []),
        ("digits", "examples/data/digits.csv.gz", False, "classify", ["--drop-constant"]),
        ("diabetes", "examples/data/diabetes.csv", False, "regress", [])]


def load(path, header):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        lines = [l.strip() for l in f if l.strip()]
    if header:
        lines = lines[1:]
    a = np.array([[float(v) for v in l.split(",")] for l in lines])
    return a[:, :-1], a[:, -1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/ntk4j.jar")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sets", default=",".join(s[0] for s in SETS))
    a = ap.parse_args()
    for name, path, header, task, extra in SETS:
        if name not in a.sets.split(","):
            continue
        cmd = ["java", "-jar", a.jar, task, "--data", path, "--format", "json", "--seed", str(a.seed)] + extra
        if header:
            cmd.append("--header")
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(name + ": " + r.stderr)
        nt = json.loads(r.stdout)
        fold = np.array(nt["fold_of_row"])
        x, y = load(path, header)
        score = "accuracy" if task == "classify" else "rmse"
        inner = (StratifiedKFold if task == "classify" else KFold)(3, shuffle=True, random_state=a.seed)
        if task == "classify":
            svm = GridSearchCV(make_pipeline(StandardScaler(), SVC(kernel="rbf")),
                               {"svc__C": [0.1, 1, 10, 100], "svc__gamma": ["scale", 0.01, 0.1, 1]}, cv=inner)
            rf = GridSearchCV(RandomForestClassifier(n_estimators=300, random_state=a.seed),
                              {"max_features": ["sqrt", 0.5]}, cv=inner)
        else:
            svm = GridSearchCV(make_pipeline(StandardScaler(), SVR(kernel="rbf")),
                               {"svr__C": [1, 10, 100, 1000], "svr__gamma": ["scale", 0.01, 0.1]}, cv=inner)
            rf = GridSearchCV(RandomForestRegressor(n_estimators=300, random_state=a.seed),
                              {"max_features": [1.0, 0.33]}, cv=inner)
        res = {"svm_rbf": [], "random_forest": []}
        for k in range(fold.max() + 1):
            tr, te = fold != k, fold == k
            for key, model in (("svm_rbf", svm), ("random_forest", rf)):
                model.fit(x[tr], y[tr])
                p = model.predict(x[te])
                res[key].append(float(np.mean(p == y[te])) if task == "classify"
                                else float(np.sqrt(np.mean((p - y[te]) ** 2))))
        out = {"data": name, "rows": len(y), "metric": score,
               "ntk4j": [round(nt[score], 4), round(nt[score + "_std"], 4)], "ntk4j_seconds": round(nt["seconds"], 1)}
        for key, v in res.items():
            out[key] = [round(float(np.mean(v)), 4), round(float(np.std(v, ddof=1)), 4)]
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
