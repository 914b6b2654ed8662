/**
 * The primitive ops: one small final class each, holding the formula and derivative (Javadoc),
 * the elementwise {@link org.incipit.tensor.Kernel} where there is one, and the
 * {@link org.incipit.autograd.BackwardRule}. Everything else in Incipit is composed from these.
 */
package org.incipit.autograd.ops;
