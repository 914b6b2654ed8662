package org.incipit.tests.opencl;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.incipit.tensor.Device;

/**
 * Skips a jqwik property (or container) where no OpenCL device exists, with the reason. jqwik
 * counts an assumption failing inside a property as a rejected try, not a skip, hence this hook.
 */
public final class SkipWithoutOpenCl implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    return Device.selectedOpenCl().isPresent() ? SkipResult.doNotSkip() : SkipResult.skip(OpenClDevices.why());
  }
}
