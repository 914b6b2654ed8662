// Index kernels over the middle axis of (outer, n, inner) tensors, built by ClIndexing once per
// (T, IDX): T is the element type, IDX the index type (int or long), ADD(a, b) the addition of T
// (logical or for bool). Indices were checked against n on the host before any of these runs.
// The adds are deterministic segmented sums without atomics: each output element is owned by one
// work-item, which adds its sources in index order (the order the host sorted them into).

// torch.gather: out[o, j, i] = src[o, index[o, j, i], i]; q runs over (outer, m, inner).
__kernel void gather(__global const T* src, __global const IDX* index, __global T* out,
                     const int n, const int inner, const int m, const int total) {
  const int q = get_global_id(0);
  if (q < total) {
    const long o = q / ((long) m * inner);
    out[q] = src[(o * n + index[q]) * inner + q % inner];
  }
}

// index_select: out[o, j, i] = src[o, index[j], i].
__kernel void index_select(__global const T* src, __global const IDX* index, __global T* out,
                           const int n, const int inner, const int m, const int total) {
  const int q = get_global_id(0);
  if (q < total) {
    const long o = q / ((long) m * inner);
    const int j = (q / inner) % m;
    out[q] = src[(o * n + index[j]) * inner + q % inner];
  }
}

// scatter_add: out[d] = into[d] + Σ src[sources[p]] for p in [starts[d], starts[d+1]), where the
// host listed, for every output position d, the source positions q that land on it in order of q.
__kernel void segment_add(__global const T* into, __global const T* src, __global const int* starts,
                          __global const int* sources, __global T* out, const int total) {
  const int d = get_global_id(0);
  if (d < total) {
    T acc = into[d];
    for (int p = starts[d]; p < starts[d + 1]; p++) {
      acc = ADD(acc, src[sources[p]]);
    }
    out[d] = acc;
  }
}

// index_add: out[o, t, i] = into[o, t, i] + Σ src[o, j, i] over the j with index[j] = t, in order of
// j: the host grouped the j by target t (rows[t] .. rows[t+1] in order).
__kernel void index_add(__global const T* into, __global const T* src, __global const int* rows,
                        __global const int* order, __global T* out, const int n, const int inner,
                        const int m, const int total) {
  const int d = get_global_id(0);
  if (d < total) {
    const long o = d / ((long) n * inner);
    const int t = (d / inner) % n;
    const int i = d % inner;
    T acc = into[d];
    for (int p = rows[t]; p < rows[t + 1]; p++) {
      acc = ADD(acc, src[(o * m + order[p]) * inner + i]);
    }
    out[d] = acc;
  }
}
