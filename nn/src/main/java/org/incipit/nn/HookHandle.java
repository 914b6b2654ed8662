package org.incipit.nn;

/**
 * What {@link Layer#addHook} and {@code GraphLayer.addHook} return: closing it removes the hook.
 * Removing a hook cannot fail, so {@link #close} throws nothing (use it in try-with-resources
 * without a catch).
 */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
  @Override
  void close();
}
