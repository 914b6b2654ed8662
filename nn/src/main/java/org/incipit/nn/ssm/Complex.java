package org.incipit.nn.ssm;

import org.incipit.autograd.Tensor;

/**
 * A complex tensor as a pair of real tensors of one shape, z = re + i·im: the arithmetic of the
 * SSM layers in real Tensor ops, so every gradient comes from the primitives' rules. Operands
 * broadcast as their parts do.
 * <pre>
 * (a + ib)(c + id) = (ac − bd) + i(ad + bc)
 * (a + ib)/(c + id) = ((ac + bd) + i(bc − ad)) / (c² + d²)
 * e^(a + ib)       = eᵃ·(cos b + i·sin b)
 * </pre>
 */
public record Complex(Tensor re, Tensor im) {
  /** The complex view of a (…, 2) tensor of (re, im) pairs (torch.view_as_complex). */
  public static Complex ofPairs(Tensor pairs) {
    if (pairs.rank() < 1 || pairs.size(-1) != 2) {
      throw new IllegalArgumentException("complex: needs a (…, 2) tensor of (re, im) pairs, got " + pairs.shape());
    }
    return new Complex(pairs.select(-1, 0), pairs.select(-1, 1));
  }

  public Complex add(Complex o) {
    return new Complex(re.add(o.re), im.add(o.im));
  }

  public Complex sub(Complex o) {
    return new Complex(re.sub(o.re), im.sub(o.im));
  }

  /** this + s for a real scalar s. */
  public Complex add(double s) {
    return new Complex(re.add(s), im);
  }

  public Complex mul(Complex o) {
    return new Complex(re.mul(o.re).sub(im.mul(o.im)), re.mul(o.im).add(im.mul(o.re)));
  }

  /** this·r for a real tensor r. */
  public Complex mul(Tensor r) {
    return new Complex(re.mul(r), im.mul(r));
  }

  /** this·s for a real scalar s. */
  public Complex mul(double s) {
    return new Complex(re.mul(s), im.mul(s));
  }

  /** this / o; o must not be 0. */
  public Complex div(Complex o) {
    Tensor den = o.abs2();
    return new Complex(re.mul(o.re).add(im.mul(o.im)).div(den), im.mul(o.re).sub(re.mul(o.im)).div(den));
  }

  /** 1/this = conj(this)/|this|²; this must not be 0. */
  public Complex reciprocal() {
    Tensor den = abs2();
    return new Complex(re.div(den), im.neg().div(den));
  }

  public Complex exp() {
    Tensor m = re.exp();
    return new Complex(m.mul(im.cos()), m.mul(im.sin()));
  }

  /** |z|² = re² + im². */
  public Tensor abs2() {
    return re.square().add(im.square());
  }

  public Complex unsqueeze(int dim) {
    return new Complex(re.unsqueeze(dim), im.unsqueeze(dim));
  }

  public Complex slice(int dim, int start, int end) {
    return new Complex(re.slice(dim, start, end), im.slice(dim, start, end));
  }
}
