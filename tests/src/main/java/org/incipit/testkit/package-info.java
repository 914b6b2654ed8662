/**
 * The user test kit: QuickTheories generators for tensors and shapes, and {@link
 * org.incipit.testkit.SampleCheck}, statistical assertions for initializer samples with a stated
 * false-alarm probability. Add {@code incipit-tests} as one test-scoped dependency; it brings the
 * engine, {@link org.incipit.autograd.GradCheck} and QuickTheories with it.
 */
package org.incipit.testkit;
