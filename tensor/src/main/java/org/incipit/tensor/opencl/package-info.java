/**
 * The OpenCL backend (JOCL 2.0.6): {@link org.incipit.tensor.opencl.OpenClBackend} implements
 * every {@link org.incipit.tensor.Backend} primitive as OpenCL kernels whose sources are the
 * {@code kernels/*.cl} resources, with the CPU backend's semantics.
 *
 * <p>Nothing outside this package touches JOCL, and nothing here does until an OpenCL device is
 * requested or listed ({@link org.incipit.tensor.opencl.OpenCl#backends()}), so the engine runs
 * unchanged where OpenCL or its loader is missing. Device memory is owned as described in
 * {@link org.incipit.tensor.MemoryScope}.
 */
package org.incipit.tensor.opencl;
