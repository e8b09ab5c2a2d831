#!/usr/bin/env python3
"""Reference p-values for the Swift statistics tests (run by hand; needs scipy).

DeLong's test computed the slow, independent way: structural components by
comparing every positive with every negative (ties count one half), then
the paired variance; McNemar's mid-p from scipy.stats.binom.

    python3 scripts/expected/expected_statistics.py
"""
import numpy as np
from scipy import stats

rng = np.random.default_rng(11)
n = 80
y = (rng.random(n) < 0.4).astype(int)
a = np.round(np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1), 2)   # ties
b = np.round(np.clip(0.20 * y + rng.random(n) * 0.80, 0, 1), 2)


def psi(x, z):
    return 1.0 if x > z else 0.5 if x == z else 0.0


def components(s):
    pos, neg = s[y == 1], s[y == 0]
    v10 = np.array([np.mean([psi(x, z) for z in neg]) for x in pos])
    v01 = np.array([np.mean([psi(x, z) for x in pos]) for z in neg])
    return v10.mean(), v10, v01


auc_a, v10a, v01a = components(a)
auc_b, v10b, v01b = components(b)
m, k = (y == 1).sum(), (y == 0).sum()
s10 = np.cov(np.vstack([v10a, v10b]))
s01 = np.cov(np.vstack([v01a, v01b]))
var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / k
z = (auc_a - auc_b) / np.sqrt(var)
p_delong = 2 * stats.norm.sf(abs(z))

right_a = (a >= 0.5) == (y == 1)
right_b = (b >= 0.5) == (y == 1)
only_a = int(np.sum(right_a & ~right_b))
only_b = int(np.sum(right_b & ~right_a))
kk, nn = min(only_a, only_b), only_a + only_b
p_mcnemar = min(1.0, 2 * stats.binom.cdf(kk, nn, 0.5) - stats.binom.pmf(kk, nn, 0.5))

print("labels:", "[" + ", ".join(map(str, y)) + "]")
print("candidate:", "[" + ", ".join(repr(float(v)) for v in a) + "]")
print("champion:", "[" + ", ".join(repr(float(v)) for v in b) + "]")
print(f"auc candidate {auc_a!r} champion {auc_b!r}")
print(f"delong p {float(p_delong)!r}")
print(f"mcnemar b={only_a} c={only_b} mid-p {float(p_mcnemar)!r}")
