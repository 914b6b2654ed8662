/**
 * The neural tangent kernel (Jacot, Gabriel, Hongler 2018, arXiv:1806.07572): the NTK
 * parameterization of a dense layer ({@link org.incipit.nn.ntk.NtkLinear}) and MLP
 * ({@link org.incipit.nn.ntk.NtkMlp}), the empirical kernel J·Jᵀ of any model
 * ({@link org.incipit.nn.ntk.EmpiricalNtk}) and the infinite-width ReLU kernel it converges to
 * ({@link org.incipit.nn.ntk.ReluNtk}).
 */
package org.incipit.nn.ntk;
