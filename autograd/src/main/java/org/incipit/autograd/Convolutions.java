package org.incipit.autograd;

import org.incipit.autograd.ops.FftConv;
import org.incipit.autograd.ops.SliceScatter;

/**
 * Convolution and pooling as Tensor composites: windows are strided slices stacked into columns
 * (im2col), then one batched matrix product per group. The gradient of each slice is a
 * slice-scatter, so backward needs no code of its own. The long causal convolution of SSM layers
 * is the FFT primitive {@link FftConv}.
 */
public final class Convolutions {
  private Convolutions() {}

  /**
   * 2-D convolution (cross-correlation, as PyTorch) of x (N, C, H, W) with weight (O, C/groups,
   * kh, kw) and an optional bias (O):
   * <pre>y[n, o, i, j] = b[o] + Σ_{c ∈ group(o), u, v} w[o, c, u, v] · x_pad[n, c, i·s + u, j·s + v]</pre>
   */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int groups) {
    return conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, groups);
  }

  /** {@link #conv2d(Tensor, Tensor, Tensor, int, int, int)} with separate (height, width) stride and padding. */
  public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int groups) {
    if (x.rank() != 4 || weight.rank() != 4) {
      throw new IllegalArgumentException("conv2d: needs input (N, C, H, W) and weight (O, C/groups, kh, kw), got "
          + x.shape() + " and " + weight.shape());
    }
    int n = x.size(0);
    int c = x.size(1);
    int o = weight.size(0);
    if (groups < 1 || c % groups != 0 || o % groups != 0 || weight.size(1) != c / groups) {
      throw new IllegalArgumentException("conv2d: input " + x.shape() + " has " + c + " channels, weight "
          + weight.shape() + " expects " + weight.size(1) + " per group with groups=" + groups
          + " (channels and out-channels must divide by groups)");
    }
    if (bias != null && (bias.rank() != 1 || bias.size(0) != o)) {
      throw new IllegalArgumentException("conv2d: bias must have shape [" + o + "], got " + bias.shape());
    }
    int kh = weight.size(2);
    int kw = weight.size(3);
    Tensor xp = SliceScatter.pad(SliceScatter.pad(x, 2, padding[0], padding[0]), 3, padding[1], padding[1]);
    Tensor cols = unfold(xp, kh, kw, stride[0], stride[1], "conv2d"); // (N, C, kh·kw, OH, OW)
    int oh = cols.size(3);
    int ow = cols.size(4);
    int ck = (c / groups) * kh * kw;
    Tensor colsG = cols.reshape(n, groups, ck, oh * ow).permute(1, 2, 0, 3).reshape(groups, ck, n * oh * ow);
    Tensor w = weight.reshape(groups, o / groups, ck);
    Tensor y = w.matmul(colsG);                                   // (G, O/G, N·L)
    y = y.reshape(o, n, oh * ow).permute(1, 0, 2).reshape(n, o, oh, ow); // (N, O, OH, OW)
    return bias != null ? y.add(bias.reshape(1, o, 1, 1)) : y;
  }

  /** 1-D convolution of x (N, C, L) with weight (O, C/groups, k): conv2d over a height of 1. */
  public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int groups) {
    if (x.rank() != 3 || weight.rank() != 3) {
      throw new IllegalArgumentException("conv1d: needs input (N, C, L) and weight (O, C/groups, k), got "
          + x.shape() + " and " + weight.shape());
    }
    Tensor y = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding}, groups);
    return y.squeeze(2);
  }

  /**
   * Causal convolution along the last axis by FFT, O(L log L) (see {@link FftConv}): u and k are
   * (…, L) with broadcasting leading axes.
   * <pre>y[…, t] = Σ_{s=0}^{t} k[…, s]·u[…, t−s],   t = 0 … L−1</pre>
   */
  public static Tensor causalConv(Tensor u, Tensor k) {
    return FftConv.convolve(u, k);
  }

  /** Max pooling of (N, C, H, W) over k×k windows with the given stride, no padding. */
  public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
    requireRank4("max_pool2d", x);
    return unfold(x, kernel, kernel, stride, stride, "max_pool2d").max(2);
  }

  /** Average pooling of (N, C, H, W) over k×k windows with the given stride, no padding. */
  public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
    requireRank4("avg_pool2d", x);
    return unfold(x, kernel, kernel, stride, stride, "avg_pool2d").mean(2);
  }

  /**
   * The kh×kw windows of x (N, C, H, W) at the given strides, stacked on a new axis 2:
   * (N, C, kh·kw, OH, OW), window offset (u, v) at index u·kw + v.
   */
  static Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, String op) {
    int oh = (x.size(2) - kh) / sh + 1;
    int ow = (x.size(3) - kw) / sw + 1;
    if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || x.size(2) < kh || x.size(3) < kw) {
      throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " with stride " + sh + "x" + sw
          + " does not fit the (padded) input " + x.shape());
    }
    Tensor[] windows = new Tensor[kh * kw];
    for (int u = 0; u < kh; u++) {
      for (int v = 0; v < kw; v++) {
        windows[u * kw + v] = x.slice(2, u, u + sh * (oh - 1) + 1, sh).slice(3, v, v + sw * (ow - 1) + 1, sw);
      }
    }
    return Tensors.stack(2, windows);
  }

  private static void requireRank4(String op, Tensor x) {
    if (x.rank() != 4) {
      throw new IllegalArgumentException(op + ": needs input (N, C, H, W), got " + x.shape());
    }
  }
}
