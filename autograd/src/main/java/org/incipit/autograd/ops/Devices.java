package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;

/** The one check that all operands of an op live on one device. */
public final class Devices {
  private Devices() {}

  /** Throws naming the op and both devices when the tensors live on different devices. */
  public static void requireSame(String op, Tensor... tensors) {
    Tensor first = null;
    for (Tensor t : tensors) {
      if (t == null) {
        continue;
      }
      if (first == null) {
        first = t;
      } else if (t.backend() != first.backend()) {
        throw new IllegalArgumentException(op + ": operands live on different devices: " + first.device()
            + " and " + t.device() + " (move one with .to(device))");
      }
    }
  }
}
