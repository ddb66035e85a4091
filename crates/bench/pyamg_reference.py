"""The reference a researcher would use: SciPy + pyamg on the same matrix and tolerance.

Reads the system that `scs-bench` exported (the 7-point operator of one contact's solve),
builds it as a SciPy CSR matrix, and solves it with pyamg's smoothed aggregation as a CG
preconditioner to the same relative residual (1e-6), set-up included. Prints
`field pyamg <cells> <best seconds> <iterations>`.
"""
import sys
import time

import numpy as np
import pyamg
import scipy.sparse as sp

raw = open(sys.argv[1], "rb").read()
nx, ny, nz = np.frombuffer(raw[:24], dtype="<u8")
n = int(nx * ny * nz)
values = np.frombuffer(raw[24:], dtype="<f8")
diag, cx, cy, cz, b = (values[i * n:(i + 1) * n] for i in range(5))
offsets = [1, int(nx), int(nx * ny)]
A = sp.diags([diag], [0], shape=(n, n), format="csr")
for c, off in zip((cx, cy, cz), offsets):
    upper = sp.diags([-c[: n - off]], [off], shape=(n, n), format="csr")
    A = A + upper + upper.T
A = A.tocsr()

best, iterations = float("inf"), 0
for _ in range(3):
    residuals = []
    start = time.perf_counter()
    ml = pyamg.smoothed_aggregation_solver(A, symmetry="symmetric")
    x = ml.solve(b, tol=1e-6, accel="cg", residuals=residuals, maxiter=500)
    best = min(best, time.perf_counter() - start)
    iterations = len(residuals) - 1
relative = np.linalg.norm(b - A @ x) / np.linalg.norm(b)
print(f"field pyamg {n} {best} {iterations}")
print(f"# pyamg relative residual {relative:.2e}", file=sys.stderr)
