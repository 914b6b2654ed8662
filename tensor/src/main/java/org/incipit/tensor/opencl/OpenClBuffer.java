package org.incipit.tensor.opencl;

import static org.jocl.CL.clReleaseMemObject;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.incipit.tensor.Backend;
import org.incipit.tensor.Buffer;
import org.incipit.tensor.DType;
import org.jocl.cl_mem;

/**
 * Device memory: {@code size()} elements of one dtype in a {@code cl_mem}. F32 is {@code float},
 * F64 {@code double}, I32 {@code int}, I64 {@code long} and BOOL {@code uchar} 0/1.
 *
 * <p>{@link #close()} releases the memory at once (OpenCL defers the actual free until commands
 * already enqueued on it have finished, so no wait is needed); a second close does nothing, and any
 * later use throws. Buffers nobody closed are released by a {@link Cleaner} once unreachable — a
 * fallback, not the plan: see {@link org.incipit.tensor.MemoryScope}.
 *
 * <p>Integer buffers uploaded from the host keep their host values, so index kernels can validate
 * indices without reading the device back.
 */
public final class OpenClBuffer implements Buffer {
  private static final Cleaner CLEANER = Cleaner.create();

  private final OpenClBackend backend;
  private final DType dtype;
  private final int size;
  private final cl_mem mem;
  private final Release release;
  private final Cleaner.Cleanable cleanable;
  private final long[] hostIndex;

  OpenClBuffer(OpenClBackend backend, DType dtype, int size, cl_mem mem, long bytes, long[] hostIndex) {
    this.backend = backend;
    this.dtype = dtype;
    this.size = size;
    this.mem = mem;
    this.hostIndex = hostIndex;
    this.release = new Release(mem, backend.memory(), bytes);
    this.cleanable = CLEANER.register(this, release);
  }

  /** Frees the cl_mem exactly once; holds no reference to the buffer, so the Cleaner can run it. */
  private record Release(cl_mem mem, OpenClBackend.Memory memory, long bytes, AtomicBoolean done) implements Runnable {
    Release(cl_mem mem, OpenClBackend.Memory memory, long bytes) {
      this(mem, memory, bytes, new AtomicBoolean());
    }

    @Override
    public void run() {
      if (done.compareAndSet(false, true)) {
        clReleaseMemObject(mem);
        memory.released(bytes);
      }
    }
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  /** True once closed (by its scope, by {@link #close()} or by the Cleaner). */
  public boolean isClosed() {
    return release.done().get();
  }

  /** The memory object; throws when the buffer was closed. */
  cl_mem mem() {
    if (isClosed()) {
      throw new IllegalStateException("this " + dtype + "[" + size + "] buffer on " + backend.name()
          + " was closed (by its MemoryScope or by close()) and cannot be used; keep it with MemoryScope.keep "
          + "to use it after its scope");
    }
    return mem;
  }

  /** Host copy of an integer buffer uploaded from the host, or null. */
  long[] hostIndex() {
    return hostIndex;
  }

  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "OpenClBuffer " + dtype + "[" + size + "] on " + backend.name() + (isClosed() ? " (closed)" : "");
  }
}
