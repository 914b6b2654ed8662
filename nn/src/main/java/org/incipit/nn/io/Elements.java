package org.incipit.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Device;
import org.incipit.tensor.Shape;
import org.incipit.tensor.cpu.CpuBuffer;

/**
 * Element data ↔ tensors: little-endian, row-major, streamed through a small buffer, so a file's
 * bytes are never held whole; a loaded F32 tensor adopts the array it is decoded into rather than
 * copying it. The conversions are those of {@link StoredDType}.
 */
final class Elements {
  /** Bytes per read or write; a multiple of every element size. */
  private static final int CHUNK = 1 << 16;

  private Elements() {}

  @FunctionalInterface
  private interface Reader {
    void take(ByteBuffer b, int i) throws SafetensorsException;
  }

  @FunctionalInterface
  private interface Writer {
    void put(ByteBuffer b, int i) throws SafetensorsException;
  }

  /** The tensor {@code t}, whose validated bytes start at {@code position} of the file. */
  static Tensor decode(FileChannel ch, long position, Header.Info t, String source) throws IOException {
    int n = t.numel();
    int[] dims = t.shape();
    StoredDType d = t.dtype();
    String where = source + ": tensor '" + t.name() + "'";
    switch (d.loadsAs()) {
      case F32 -> {
        float[] v = new float[n];
        read(ch, position, n, d, source, switch (d) {
          case F16 -> (b, i) -> v[i] = HalfFloats.f16ToFloat(b.getShort());
          case BF16 -> (b, i) -> v[i] = HalfFloats.bf16ToFloat(b.getShort());
          default -> (b, i) -> v[i] = b.getFloat();
        });
        return Tensor.wrap(CpuBuffer.adopt(v), Shape.of(dims));
      }
      case F64 -> {
        double[] v = new double[n];
        read(ch, position, n, d, source, (b, i) -> v[i] = b.getDouble());
        return Tensors.of(DType.F64, v, dims);
      }
      case BOOL -> {
        boolean[] v = new boolean[n];
        read(ch, position, n, d, source, (b, i) -> {
          byte x = b.get();
          if (x != 0 && x != 1) {
            throw new SafetensorsException(where + ": BOOL element " + i + " is byte " + (x & 0xFF)
                + "; booleans must be stored as 0 or 1");
          }
          v[i] = x == 1;
        });
        return Tensors.ofBooleans(v, dims);
      }
      default -> {
        long[] v = new long[n];
        read(ch, position, n, d, source, (b, i) -> {
          v[i] = integer(d, b);
          if (v[i] < 0 && d == StoredDType.U64) {
            throw new SafetensorsException(where + ": U64 element " + i + " is " + Long.toUnsignedString(v[i])
                + ", beyond the I64 it loads as (at most 2^63-1)");
          }
        });
        return Tensor.wrap(Device.cpu().backend().fromHost(d.loadsAs(), v), Shape.of(dims));
      }
    }
  }

  /** Writes the bytes of {@code e}'s tensor as {@code e.stored()}, failing on values it cannot hold. */
  static void encode(FileChannel ch, SafetensorsFile.Entry e, String source) throws IOException {
    Tensor t = e.tensor();
    StoredDType d = e.stored();
    String where = source + ": tensor '" + e.name() + "'";
    int n = t.numel();
    if (t.dtype() == DType.F32) {
      float[] v = t.toFloats();
      write(ch, n, d, (b, i) -> {
        float x = v[i];
        switch (d) {
          case F16 -> b.putShort((short) finite(HalfFloats.floatToF16(x), HalfFloats::isInfinite16, x, i, d, where));
          case BF16 -> b.putShort((short) finite(HalfFloats.floatToBf16(x), HalfFloats::isInfiniteBf16, x, i, d, where));
          case F32 -> b.putFloat(x);
          default -> b.putDouble(x);
        }
      });
    } else if (t.dtype() == DType.F64) {
      double[] v = t.toDoubles();
      write(ch, n, d, (b, i) -> {
        double x = v[i];
        switch (d) {
          case F16 -> b.putShort((short) finite(HalfFloats.doubleToF16(x), HalfFloats::isInfinite16, x, i, d, where));
          case BF16 -> b.putShort((short) finite(HalfFloats.doubleToBf16(x), HalfFloats::isInfiniteBf16, x, i, d, where));
          case F32 -> {
            float f = (float) x; // round to nearest even
            if (Float.isInfinite(f) && !Double.isInfinite(x)) {
              throw overflow(x, i, d, where);
            }
            b.putFloat(f);
          }
          default -> b.putDouble(x);
        }
      });
    } else {
      long[] v = t.toLongs(); // I32, I64 and BOOL (0 or 1)
      write(ch, n, d, (b, i) -> {
        long x = v[i];
        if (x < d.min() || x > d.max()) {
          throw new SafetensorsException(where + ": value " + x + " at element " + i + " is out of range for " + d
              + " [" + d.min() + ", " + (d == StoredDType.U64 ? "2^64-1" : d.max()) + "]");
        }
        switch (d.bytes()) {
          case 1 -> b.put((byte) x);
          case 2 -> b.putShort((short) x);
          case 4 -> b.putInt((int) x);
          default -> b.putLong(x);
        }
      });
    }
  }

  /** Fills {@code b} from {@code position} of the file, naming the file if it ends first. */
  static void readFully(FileChannel ch, ByteBuffer b, long position, String source) throws IOException {
    while (b.hasRemaining()) {
      int got = ch.read(b, position);
      if (got < 0) {
        throw new SafetensorsException(source + ": the file ended at byte " + position
            + " while " + b.remaining() + " more bytes were expected (was it changed while being read?)");
      }
      position += got;
    }
  }

  /** Writes all of {@code b}. */
  static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static long integer(StoredDType d, ByteBuffer b) {
    return switch (d) {
      case U8 -> b.get() & 0xFFL;
      case I8 -> b.get();
      case I16 -> b.getShort();
      case U16 -> b.getShort() & 0xFFFFL;
      case I32 -> b.getInt();
      case U32 -> b.getInt() & 0xFFFF_FFFFL;
      case I64, U64 -> b.getLong();
      default -> throw new IllegalStateException("not an integer type: " + d);
    };
  }

  @FunctionalInterface
  private interface IsInfinite {
    boolean test(int bits);
  }

  /** {@code bits}, unless a finite {@code x} became infinite: then the overflow error. */
  private static int finite(int bits, IsInfinite isInfinite, double x, int i, StoredDType d, String where)
      throws SafetensorsException {
    if (isInfinite.test(bits) && !Double.isInfinite(x)) {
      throw overflow(x, i, d, where);
    }
    return bits;
  }

  private static SafetensorsException overflow(double x, int i, StoredDType d, String where) {
    String max = switch (d) {
      case F16 -> "65504";
      case BF16 -> "3.3895314E38";
      default -> Float.toString(Float.MAX_VALUE);
    };
    return new SafetensorsException(where + ": value " + x + " at element " + i + " is too large for " + d
        + " (largest finite " + max + "); it would become infinity");
  }

  private static void read(FileChannel ch, long position, int n, StoredDType d, String source, Reader r)
      throws IOException {
    int size = d.bytes();
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * size)).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = Math.max(1, b.capacity() / size);
    for (int i = 0; i < n; ) {
      int k = Math.min(perChunk, n - i);
      b.clear().limit(k * size);
      readFully(ch, b, position, source);
      position += (long) k * size;
      b.flip();
      for (int j = 0; j < k; j++, i++) {
        r.take(b, i);
      }
    }
  }

  private static void write(FileChannel ch, int n, StoredDType d, Writer w) throws IOException {
    int size = d.bytes();
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * size)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      if (b.remaining() < size) {
        b.flip();
        writeFully(ch, b);
        b.clear();
      }
      w.put(b, i);
    }
    b.flip();
    writeFully(ch, b);
  }
}
