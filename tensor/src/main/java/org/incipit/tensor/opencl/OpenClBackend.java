package org.incipit.tensor.opencl;

import static org.jocl.CL.*;

import java.util.concurrent.atomic.AtomicLong;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.incipit.tensor.Kernel;
import org.incipit.tensor.Layout;
import org.incipit.tensor.MemoryScope;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * The OpenCL backend (JOCL): every {@link Backend} primitive as an OpenCL kernel on one device,
 * with the CPU backend's semantics. Obtain it through {@code Device.opencl()}.
 *
 * <ul>
 *   <li><b>Asynchronous.</b> Kernels go to one in-order queue and nothing waits for them; only
 *       reading to the host ({@link #toDoubles}, {@link #toFloats}, {@link #toLongs}, or an index
 *       kernel whose index lives only on the device) blocks. Uploads copy the host data when the
 *       buffer is created and never touch the queue.</li>
 *   <li><b>Programs</b> are built once per device and cached: elementwise kernels from one
 *       template per (kernel, dtype), the rest from hand-written sources in {@code kernels/}.</li>
 *   <li><b>Precision.</b> F32 kernels compute in float and F64 kernels in double. Integer and
 *       boolean inputs, and every comparison, compute through double as on the CPU where the
 *       device has {@code cl_khr_fp64}; without it they compute through float (exact below 2^24)
 *       and F64 buffers cannot be created. Sums accumulate in double with fp64, else in float.</li>
 *   <li><b>Memory</b>: see {@link OpenClBuffer} and {@link MemoryScope}; {@link #liveBuffers()} and
 *       {@link #liveBytes()} count what is allocated now.</li>
 * </ul>
 */
public final class OpenClBackend implements Backend {
  private final ClDevice dev;
  private final int index;
  private final Memory memory = new Memory();
  private final ClElementwise elementwise;
  private final ClStrided strided;
  private final ClReduce reduce;
  private final ClGemm gemm;
  private final ClIndexing indexing;

  /** Counts of live device memory; a buffer is live from allocation until it is released. */
  static final class Memory {
    private final AtomicLong buffers = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    void allocated(long n) {
      buffers.incrementAndGet();
      bytes.addAndGet(n);
    }

    void released(long n) {
      buffers.decrementAndGet();
      bytes.addAndGet(-n);
    }
  }

  OpenClBackend(ClDevice dev, int index) {
    this.dev = dev;
    this.index = index;
    this.elementwise = new ClElementwise(this);
    this.strided = new ClStrided(this);
    this.reduce = new ClReduce(this);
    this.gemm = new ClGemm(this);
    this.indexing = new ClIndexing(this);
  }

  @Override
  public String name() {
    return "opencl:" + index + " " + dev.info.name();
  }

  /** The device's properties (name, platform, fp64, memory sizes). */
  public OpenClInfo info() {
    return dev.info;
  }

  /** True when F64 buffers and double accumulation are available ({@code cl_khr_fp64}). */
  public boolean supportsF64() {
    return dev.info.fp64();
  }

  /** Device buffers allocated and not yet released. */
  public long liveBuffers() {
    return memory.buffers.get();
  }

  /** Bytes of device memory allocated and not yet released. */
  public long liveBytes() {
    return memory.bytes.get();
  }

  /** Blocks until every kernel enqueued so far has finished (benchmarks; ops never need it). */
  public void finish() {
    dev.finish();
  }

  /** The matrix products of this device, naive and tiled (for benchmarks and cross-checks). */
  public ClGemm gemm() {
    return gemm;
  }

  ClDevice device() {
    return dev;
  }

  Memory memory() {
    return memory;
  }

  /** The OpenCL C type of {@code t}'s elements. */
  static String clType(DType t) {
    return switch (t) {
      case F32 -> "float";
      case F64 -> "double";
      case I32 -> "int";
      case I64 -> "long";
      case BOOL -> "uchar";
    };
  }

  OpenClBuffer cl(Buffer b) {
    if (b instanceof OpenClBuffer c && c.backend() == this) {
      return c;
    }
    throw new IllegalArgumentException(name() + ": the buffer lives on " + b.backend().name()
        + ", not on this device (move it with .to(device))");
  }

  // ---------------------------------------------------------------- memory

  /** A new uninitialised buffer, registered with the current {@link MemoryScope}. */
  OpenClBuffer allocate(DType dtype, int n) {
    return create(dtype, n, null, null);
  }

  private OpenClBuffer create(DType dtype, int n, Pointer host, long[] hostIndex) {
    if (dtype == DType.F64 && !dev.info.fp64()) {
      throw new UnsupportedOperationException(name() + " has no cl_khr_fp64, so it cannot hold F64 tensors");
    }
    long bytes = (long) Math.max(1, n) * dtype.bytes(); // OpenCL has no empty buffers
    long flags = CL_MEM_READ_WRITE | (host != null ? CL_MEM_COPY_HOST_PTR : 0);
    cl_mem mem;
    try {
      mem = clCreateBuffer(dev.context, flags, bytes, host, null);
    } catch (CLException e) {
      if (e.getStatus() != CL_MEM_OBJECT_ALLOCATION_FAILURE && e.getStatus() != CL_OUT_OF_RESOURCES
          && e.getStatus() != CL_OUT_OF_HOST_MEMORY) {
        throw new IllegalStateException(name() + ": cannot allocate " + dtype + "[" + n + "]: " + e.getMessage(), e);
      }
      System.gc(); // memory may be held by unreachable buffers the Cleaner has not released yet
      sleepBriefly();
      try {
        mem = clCreateBuffer(dev.context, flags, bytes, host, null);
      } catch (CLException again) {
        throw new IllegalStateException(name() + ": out of device memory allocating " + bytes + " bytes with "
            + liveBuffers() + " buffers (" + liveBytes() + " bytes) live; release buffers with MemoryScope or close()",
            again);
      }
    }
    memory.allocated(bytes);
    OpenClBuffer b = new OpenClBuffer(this, dtype, n, mem, bytes, hostIndex);
    MemoryScope.register(b);
    return b;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Host values of an integer/bool buffer, read back only when not already known. */
  long[] indexValues(OpenClBuffer b) {
    return b.hostIndex() != null ? b.hostIndex() : toLongs(b);
  }

  /**
   * A buffer uploaded from a host array (float[], double[], int[], long[] or byte[]) of n
   * elements. An integer buffer keeps a long[] array as its host copy, so pass one nobody writes.
   */
  OpenClBuffer upload(DType dtype, Object array, int n) {
    long[] index = dtype == DType.I64 || dtype == DType.I32 ? HostArrays.toLongs(array) : null;
    return create(dtype, n, n == 0 ? null : HostArrays.pointer(array), index);
  }

  @Override
  public Buffer zeros(DType dtype, int n) {
    return full(dtype, n, 0.0);
  }

  @Override
  public Buffer full(DType dtype, int n, double value) {
    OpenClBuffer out = allocate(dtype, n);
    if (n > 0) {
      Object pattern = HostArrays.fromDoubles(dtype, new double[] {value});
      clEnqueueFillBuffer(dev.queue, out.mem(), HostArrays.pointer(pattern), dtype.bytes(), 0,
          (long) n * dtype.bytes(), 0, null, null);
    }
    return out;
  }

  @Override
  public Buffer fromHost(DType dtype, double[] data) {
    return upload(dtype, HostArrays.fromDoubles(dtype, data), data.length);
  }

  @Override
  public Buffer fromHost(float[] data) {
    return upload(DType.F32, data, data.length);
  }

  @Override
  public Buffer fromHost(DType dtype, long[] data) {
    return upload(dtype, HostArrays.fromLongs(dtype, data), data.length);
  }

  /** The raw elements of {@code b} as a host array of its type (blocks until they are ready). */
  Object read(Buffer buffer) {
    OpenClBuffer b = cl(buffer);
    Object host = HostArrays.allocate(b.dtype(), b.size());
    if (b.size() > 0) {
      clEnqueueReadBuffer(dev.queue, b.mem(), CL_TRUE, 0, (long) b.size() * b.dtype().bytes(),
          HostArrays.pointer(host), 0, null, null);
    }
    return host;
  }

  @Override
  public double[] toDoubles(Buffer buffer) {
    return HostArrays.toDoubles(read(buffer));
  }

  @Override
  public float[] toFloats(Buffer buffer) {
    Object host = read(buffer);
    if (host instanceof float[] f) {
      return f;
    }
    double[] d = HostArrays.toDoubles(host);
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  @Override
  public long[] toLongs(Buffer buffer) {
    return HostArrays.toLongs(read(buffer));
  }

  // ---------------------------------------------------------------- compute

  @Override
  public Buffer unary(Kernel.Unary kernel, Buffer x, double s) {
    return elementwise.unary(kernel, cl(x), s);
  }

  @Override
  public Buffer binary(Kernel.Binary kernel, Buffer a, Buffer b) {
    return elementwise.binary(kernel, cl(a), cl(b));
  }

  @Override
  public Buffer where(Buffer cond, Buffer a, Buffer b) {
    return strided.where(cl(cond), cl(a), cl(b));
  }

  @Override
  public Buffer cast(Buffer x, DType to) {
    return elementwise.cast(cl(x), to);
  }

  @Override
  public Buffer reduce(Reduction kind, Buffer x, int outer, int n, int inner) {
    return reduce.reduce(kind, cl(x), outer, n, inner);
  }

  @Override
  public Buffer matmul(Buffer a, boolean aBatched, boolean transA, Buffer b, boolean bBatched, boolean transB,
                       int batch, int m, int k, int n) {
    return gemm.matmul(ClGemm.Variant.TILED, cl(a), aBatched, transA, cl(b), bBatched, transB, batch, m, k, n);
  }

  @Override
  public Buffer copyStrided(Buffer src, Layout view) {
    return strided.copy(cl(src), view);
  }

  @Override
  public Buffer scatterStrided(Buffer dst, Layout dstView, Buffer src) {
    strided.scatter(cl(dst), dstView, cl(src));
    return dst;
  }

  @Override
  public Buffer gather(Buffer src, int outer, int n, int inner, Buffer index, int m) {
    return indexing.gather(cl(src), outer, n, inner, cl(index), m);
  }

  @Override
  public Buffer scatterAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m) {
    return indexing.scatterAdd(cl(into), outer, n, inner, cl(index), cl(src), m);
  }

  @Override
  public Buffer indexSelect(Buffer src, int outer, int n, int inner, Buffer index, int m) {
    return indexing.indexSelect(cl(src), outer, n, inner, cl(index), m);
  }

  @Override
  public Buffer indexAdd(Buffer into, int outer, int n, int inner, Buffer index, Buffer src, int m) {
    return indexing.indexAdd(cl(into), outer, n, inner, cl(index), cl(src), m);
  }

  /** The backend of a device lives as long as the JVM: closing it does nothing. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return name();
  }
}
