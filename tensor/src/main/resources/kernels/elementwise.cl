// The elementwise template. ClElementwise fills the $-placeholders once per (kernel, dtype) and
// builds the result lazily; $EXPR is the OpenCL C expression of a Kernel over the operands a, b
// and the scalar s, computed in type comp and stored through store() (see ClElementwise).
$PRAGMAS
#pragma OPENCL FP_CONTRACT OFF

typedef $TIN tin;
typedef $TOUT tout;
typedef $COMP comp;

inline tout store(comp v) {
  return $STORE;
}

#if ARITY == 1
__kernel void elementwise(__global const tin* x0, __global tout* y, const comp s, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    const comp a = (comp) x0[i];
    y[i] = store($EXPR);
  }
}
#else
__kernel void elementwise(__global const tin* x0, __global const tin* x1, __global tout* y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    const comp a = (comp) x0[i];
    const comp b = (comp) x1[i];
    y[i] = store($EXPR);
  }
}
#endif
