// Dtype conversion, one program per (from, to): y = $CONVERT, chosen by ClElementwise.cast to
// match the CPU backend (float to integer truncates toward zero and saturates, NaN gives 0;
// anything non-zero is true; integers reach floats through double where the device has fp64).
$PRAGMAS

typedef $TIN tin;
typedef $TOUT tout;

__kernel void cast(__global const tin* x0, __global tout* y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    const tin a = x0[i];
    y[i] = $CONVERT;
  }
}
