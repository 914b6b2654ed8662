package org.incipit.autograd.ops;

import org.incipit.autograd.Tensor;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.Device;

/**
 * A copy on another device (through the host). <pre>y = x,   dy/dx = 1</pre>, the gradient moved
 * back to the source device.
 */
public final class ToDevice {
  private ToDevice() {}

  public static Tensor apply(Tensor x, Device device) {
    if (x.backend() == device.backend()) {
      return x;
    }
    Buffer moved = x.dtype().isFloating()
        ? device.backend().fromHost(x.dtype(), x.toDoubles())
        : device.backend().fromHost(x.dtype(), x.toLongs());
    Device source = x.device();
    return Tensor.record("to", moved, x.shape(), (gy, y, in) -> new Tensor[] {gy.to(source)}, x);
  }
}
