package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;

/**
 * Random checkpoint contents for the properties: any stored type, shapes of rank 0–4 with
 * dimensions 0–5, values exactly representable in the stored type (random bit patterns for
 * floats, so NaN payloads, infinities and subnormals occur), held in the loaded type or the wider
 * one ({@code wide}: F64 for floats, I64 for integers).
 */
final class RandomEntries {
  private RandomEntries() {}

  /** One tensor to generate: values come from {@code seed}. */
  record Spec(String name, StoredDType stored, boolean wide, int[] shape, long seed) {
    DType source() {
      if (!wide || stored == StoredDType.BOOL) {
        return stored.loadsAs();
      }
      return stored.isFloating() ? DType.F64 : DType.I64;
    }

    SafetensorsFile.Entry entry() {
      return new SafetensorsFile.Entry(name, stored, tensor());
    }

    Tensor tensor() {
      SplittableRandom r = new SplittableRandom(seed);
      int n = Shape.of(shape).numel();
      if (stored == StoredDType.BOOL) {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = r.nextBoolean();
        }
        return Tensors.ofBooleans(v, shape);
      }
      if (stored == StoredDType.F64) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = Double.longBitsToDouble(r.nextLong());
        }
        return Tensors.of(DType.F64, v, shape);
      }
      if (stored.isFloating()) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          int bits = r.nextInt();
          v[i] = switch (stored) {
            case F16 -> HalfFloats.f16ToFloat(bits & 0xFFFF);
            case BF16 -> HalfFloats.bf16ToFloat(bits & 0xFFFF);
            default -> Float.intBitsToFloat(bits);
          };
        }
        Tensor t = Tensors.of(v, shape);
        return source() == DType.F64 ? t.cast(DType.F64) : t;
      }
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        long x = r.nextLong();
        v[i] = switch (stored) {
          case I64 -> x;
          case U64 -> x & Long.MAX_VALUE; // what an I64 tensor can hold
          default -> stored.min() + Math.floorMod(x, stored.max() - stored.min() + 1);
        };
      }
      if (source() == DType.I32) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
          d[i] = v[i];
        }
        return Tensors.of(DType.I32, d, shape);
      }
      return Tensors.ofLongs(v, shape);
    }
  }

  /** 0–6 specs with distinct names (quotes, backslashes, control characters and non-ASCII included). */
  static Arbitrary<List<Spec>> specs() {
    return specs(5);
  }

  /** As {@link #specs()} with dimensions up to {@code maxDim}. */
  static Arbitrary<List<Spec>> specs(int maxDim) {
    Arbitrary<String> names = Arbitraries.strings().withChars("ab.é_0\"\\\n\u0001x").ofMaxLength(6)
        .map(s -> s.replace("x", "😀")); // a surrogate pair, never half of one
    Arbitrary<int[]> shapes = Arbitraries.integers().between(0, maxDim).array(int[].class).ofMaxSize(4);
    Arbitrary<Spec> spec = Combinators.combine(names, Arbitraries.of(StoredDType.class), Arbitraries.of(true, false),
        shapes, Arbitraries.longs()).as(Spec::new);
    return spec.list().ofMaxSize(6).uniqueElements(Spec::name);
  }

  static Arbitrary<Map<String, String>> metadata() {
    Arbitrary<String> text = Arbitraries.strings().withChars("k=v \"\\\t\u0000é/x").ofMaxLength(8)
        .map(s -> s.replace("x", "😀"));
    return Arbitraries.maps(text, text).ofMaxSize(3);
  }

  static SafetensorsFile file(List<Spec> specs, Map<String, String> metadata) {
    List<SafetensorsFile.Entry> entries = new ArrayList<>();
    specs.forEach(s -> entries.add(s.entry()));
    return new SafetensorsFile(entries, metadata);
  }

  /** The bytes of a valid file holding {@code specs}. */
  static byte[] bytes(Path dir, List<Spec> specs, Map<String, String> metadata) {
    try {
      Path p = Files.createTempFile(dir, "valid", ".safetensors");
      Safetensors.write(p, file(specs, metadata));
      byte[] out = Files.readAllBytes(p);
      Files.delete(p);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The write order: descending stored type, then name by UTF-8 bytes. */
  static List<Spec> layoutOrder(List<Spec> specs) {
    List<Spec> sorted = new ArrayList<>(specs);
    sorted.sort(Comparator.comparing(Spec::stored, Comparator.reverseOrder())
        .thenComparing(Spec::name, Header::compareUtf8));
    return sorted;
  }

  /** {@code got} (read back) holds exactly what {@code s} wrote: type, shape and every value's bits. */
  static void assertHolds(Spec s, SafetensorsFile.Entry got) {
    assertEquals(s.name(), got.name());
    assertEquals(s.stored(), got.stored(), s.name());
    assertArrayEquals(s.shape(), got.shape().dims(), s.name());
    Tensor want = s.tensor();
    Tensor t = got.tensor();
    assertEquals(s.stored().loadsAs(), t.dtype(), s.name());
    if (t.dtype() == DType.F32) {
      float[] w = want.dtype() == DType.F32 ? want.toFloats() : narrow(want.toDoubles());
      float[] g = t.toFloats();
      for (int i = 0; i < g.length; i++) {
        // exact bits; a NaN that went through F64 may come back quieted, still NaN
        boolean same = Float.floatToRawIntBits(w[i]) == Float.floatToRawIntBits(g[i]) || (s.wide() && Float.isNaN(w[i]) && Float.isNaN(g[i]));
        assertTrue(same, s.name() + "[" + i + "]: " + w[i] + " vs " + g[i]);
      }
    } else if (t.dtype() == DType.F64) {
      double[] w = want.toDoubles();
      double[] g = t.toDoubles();
      for (int i = 0; i < g.length; i++) {
        assertEquals(Double.doubleToRawLongBits(w[i]), Double.doubleToRawLongBits(g[i]), s.name() + "[" + i + "]");
      }
    } else {
      assertArrayEquals(want.toLongs(), t.toLongs(), s.name());
    }
  }

  private static float[] narrow(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
