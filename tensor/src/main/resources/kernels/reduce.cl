// Reductions of the middle axis of a contiguous (outer, n, inner) tensor into (outer, inner).
// Built by ClReduce once per (kind, dtype) with:
//   T       element type            OUT  output type (T, or long for ARGMAX)
//   ACC     accumulator type        KIND 0 = SUM, 1 = MAX, 2 = ARGMAX
//   IS_FLOAT 1 for float/double     LOWEST the identity of MAX for T
//   WG      the work-group size of reduce_group (a power of two)
//   STORE(v) converts a SUM accumulator to OUT
//
// State is (val, idx): SUM adds into val; MAX and ARGMAX keep the largest value and its index,
// idx = -1 meaning "no element yet". NaN counts as the largest value (MAX propagates it) and ties
// go to the smaller index, so the result is the CPU's "first maximum" in any combining order.

#if IS_FLOAT
#define ISNAN(v) isnan(v)
#else
#define ISNAN(v) 0
#endif

// (val, idx) <- the better of (val, idx) and (v, j).
inline void combine(ACC* val, long* idx, ACC v, long j) {
#if KIND == 0
  *val += v;
#else
  if (j < 0) {
    return;
  }
  if (*idx >= 0) {
    bool an = ISNAN(*val);
    bool bn = ISNAN(v);
    bool take;
    if (an || bn) {
      take = an && bn ? j < *idx : bn;
    } else {
      take = v > *val || (v == *val && j < *idx);
    }
    if (!take) {
      return;
    }
  }
  *val = v;
  *idx = j;
#endif
}

inline OUT result(ACC val, long idx) {
#if KIND == 0
  return STORE(val);
#elif KIND == 1
  return val;
#else
  return idx;
#endif
}

#if KIND == 0
#define INIT 0
#else
#define INIT LOWEST
#endif

// One work-group per output: work-items fold strided slices of the axis, then a tree in local
// memory combines their partial results.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void reduce_group(__global const T* x, __global OUT* y, const int n, const int inner) {
  const int p = get_group_id(0);
  const int lid = get_local_id(0);
  __global const T* base = x + (long) (p / inner) * n * inner + p % inner;
  ACC val = INIT;
  long idx = -1;
  for (int j = lid; j < n; j += WG) {
    combine(&val, &idx, (ACC) base[(long) j * inner], j);
  }
  __local ACC lval[WG];
  __local long lidx[WG];
  lval[lid] = val;
  lidx[lid] = idx;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = WG / 2; s > 0; s >>= 1) {
    if (lid < s) {
      ACC v = lval[lid];
      long i = lidx[lid];
      combine(&v, &i, lval[lid + s], lidx[lid + s]);
      lval[lid] = v;
      lidx[lid] = i;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) {
    y[p] = result(lval[0], lidx[0]);
  }
}

// One work-item per output, folding the axis in order: for many outputs over a short axis.
__kernel void reduce_serial(__global const T* x, __global OUT* y, const int n, const int inner, const int total) {
  const int p = get_global_id(0);
  if (p >= total) {
    return;
  }
  __global const T* base = x + (long) (p / inner) * n * inner + p % inner;
  ACC val = INIT;
  long idx = -1;
  for (int j = 0; j < n; j++) {
    combine(&val, &idx, (ACC) base[(long) j * inner], j);
  }
  y[p] = result(val, idx);
}
