// Batched matrix products C[b] = op(A[b]) · op(B[b]), C (m × n) row-major. A is (m × k), or (k × m)
// when transA; B is (k × n), or (n × k) when transB. aStep / bStep are the element distances
// between consecutive batch matrices (0 shares one matrix across the batch). Built by ClGemm with
// T (float or double) and the tile sizes BM, BN, BK, RY, RX.

#define A_AT(r, p) (transA ? A[(long) (p) * m + (r)] : A[(long) (r) * k + (p)])
#define B_AT(p, c) (transB ? B[(long) (c) * k + (p)] : B[(long) (p) * n + (c)])

// The reference: one work-item per element of C, reading A and B from global memory.
__kernel void matmul_naive(__global const T* A, __global const T* B, __global T* C,
                           const int m, const int n, const int k, const int aStep, const int bStep,
                           const int transA, const int transB) {
  const int c = get_global_id(0);
  const int r = get_global_id(1);
  const int batch = get_global_id(2);
  if (r >= m || c >= n) {
    return;
  }
  A += (long) batch * aStep;
  B += (long) batch * bStep;
  T acc = 0;
  for (int p = 0; p < k; p++) {
    acc += A_AT(r, p) * B_AT(p, c);
  }
  C[(long) batch * m * n + (long) r * n + c] = acc;
}

// The tiled kernel. A work-group of LY × LX work-items computes a BM × BN block of C. Each
// work-item owns RY rows (spaced LY apart) by NV vectors of VW adjacent columns (vector v of
// work-item tx starts at column (tx + v·LX)·VW), so neighbouring work-items touch neighbouring
// addresses and every multiply-add works on a whole vector. The k axis is walked in steps of BK:
// the work-group stages the BM × BK slice of A and the BK × BN slice of B in local memory
// (zero-padded at the edges), then each work-item multiplies from registers: per step p it loads
// RY scalars of A and NV vectors of B and does RY·NV vector multiply-adds.
#define LX (BN / (VW * NV))
#define LY (BM / RY)

__kernel __attribute__((reqd_work_group_size(LX, LY, 1)))
void matmul_tiled(__global const T* A, __global const T* B, __global T* C,
                  const int m, const int n, const int k, const int aStep, const int bStep,
                  const int transA, const int transB) {
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int tid = ty * LX + tx;
  const int col0 = get_group_id(0) * BN;
  const int row0 = get_group_id(1) * BM;
  const int batch = get_global_id(2);
  A += (long) batch * aStep;
  B += (long) batch * bStep;
  C += (long) batch * m * n;

  __local T As[BK][BM + 1]; // As[p][r] = A(row0 + r, k0 + p)
  __local T Bs[BK][BN];     // Bs[p][c] = B(k0 + p, col0 + c)
  TV acc[RY][NV];
  for (int i = 0; i < RY; i++) {
    for (int v = 0; v < NV; v++) {
      acc[i][v] = 0;
    }
  }

  for (int k0 = 0; k0 < k; k0 += BK) {
    // Stage the tiles; consecutive work-items read consecutive addresses of the stored layout.
    for (int l = tid; l < BM * BK; l += LX * LY) {
      const int r = transA ? l % BM : l / BK;
      const int p = transA ? l / BM : l % BK;
      const int gr = row0 + r;
      const int gp = k0 + p;
      As[p][r] = (gr < m && gp < k) ? A_AT(gr, gp) : 0;
    }
    for (int l = tid; l < BN * BK; l += LX * LY) {
      const int c = transB ? l / BK : l % BN;
      const int p = transB ? l % BK : l / BN;
      const int gc = col0 + c;
      const int gp = k0 + p;
      Bs[p][c] = (gc < n && gp < k) ? B_AT(gp, gc) : 0;
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    for (int p = 0; p < BK; p++) {
      TV b[NV];
      for (int v = 0; v < NV; v++) {
        b[v] = VLOAD(tx + v * LX, Bs[p]);
      }
      for (int i = 0; i < RY; i++) {
        const TV a = (TV) As[p][ty + i * LY];
        for (int v = 0; v < NV; v++) {
          acc[i][v] = fma(a, b[v], acc[i][v]);
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }

  for (int i = 0; i < RY; i++) {
    const int r = row0 + ty + i * LY;
    for (int v = 0; v < NV; v++) {
      const int c = col0 + (tx + v * LX) * VW;
      if (r < m) {
        if (c + VW <= n) {
          VSTORE(acc[i][v], 0, C + (long) r * n + c);
        } else {
          const T* e = (const T*) &acc[i][v];
          for (int j = 0; c + j < n && j < VW; j++) {
            C[(long) r * n + c + j] = e[j];
          }
        }
      }
    }
  }
}
