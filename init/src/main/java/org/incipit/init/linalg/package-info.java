/**
 * Double-precision dense linear algebra for {@code init}, in one place: {@link
 * org.incipit.init.linalg.Dense} on {@code double[rows][cols]} (products, thin SVD by one-sided
 * Jacobi, reduced QR by Householder, tensor conversion) and {@link org.incipit.init.linalg.Mat} on
 * row-major flat {@code double[]} with explicit shapes (products, norms, symmetric eigen-decomposition
 * by cyclic Jacobi).
 *
 * <p>Why hand-written: only EJML's float32 module ({@code ejml-fdense}) is on the classpath, and the
 * fixtures need ~1e−12 (HiPPO-LegS spectrum) where float32 gives ~1e−7. Users: the LoRA-family
 * initializations ({@code org.incipit.init.lora}), the matrix-recovery schemes ({@code
 * org.incipit.init.matrix}) and {@code org.incipit.init.HippoLegS} (S4D-LegS).
 */
package org.incipit.init.linalg;
