// Strided copies and selection. One program per element size (T is uchar, uint or ulong): these
// kernels move bits and never interpret them, so every dtype of that size shares the program.

#define MAX_RANK 12

// A strided view after ClStrided merged its mergeable axes: element (i_0, …, i_{r-1}) of the view
// lives at offset + Σ i_d · strides[d] in the buffer.
typedef struct {
  int rank;
  int offset;
  int dims[MAX_RANK];
  int strides[MAX_RANK];
} view_t;

// Buffer position of the element at row-major position flat of the view.
inline int position(const view_t* v, int flat) {
  int p = v->offset;
  for (int d = v->rank - 1; d >= 0; d--) {
    int dim = v->dims[d];
    p += (flat % dim) * v->strides[d];
    flat /= dim;
  }
  return p;
}

// y[i] = x[view(i)]: a strided view gathered into a contiguous buffer.
__kernel void copy_strided(__global const T* x, __global T* y, const view_t v, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    y[i] = x[position(&v, i)];
  }
}

// y[view(i)] = x[i]: a contiguous buffer written into a strided view (that does not overlap itself).
__kernel void scatter_strided(__global const T* x, __global T* y, const view_t v, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    y[position(&v, i)] = x[i];
  }
}

// y[i] = cond[i] ? a[i] : b[i], exact for every dtype.
__kernel void where_select(__global const uchar* cond, __global const T* a, __global const T* b,
                           __global T* y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    y[i] = cond[i] ? a[i] : b[i];
  }
}
