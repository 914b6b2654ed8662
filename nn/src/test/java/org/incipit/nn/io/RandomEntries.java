package org.incipit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Shape;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random checkpoint contents for the properties: any stored type, shapes of rank 0–4 with
 * dimensions 0–5, values exactly representable in the stored type (random bit patterns for
 * floats, so NaN payloads, infinities and subnormals occur), held in the loaded type or the wider
 * one ({@code wide}: F64 for floats, I64 for integers). QuickTheories draws uniformly, so edge
 * cases are mixed in one draw in five: no entries, rank 0, a zero dimension, 0, ±1 and the extremes.
 */
final class RandomEntries {
  private RandomEntries() {}

  static final int EDGE_PERCENT = 20;

  /** One tensor to generate: values come from {@code seed}. */
  record Spec(String name, StoredDType stored, boolean wide, int[] shape, long seed) {
    @Override
    public String toString() {
      return "Spec[name=" + name + ", " + stored + (wide ? " from wide" : "") + ", shape " + Arrays.toString(shape)
          + ", seed " + seed + "]";
    }

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

  /** Every int, with 0, ±1 and the extremes mixed in. */
  static Gen<Integer> ints() {
    return integers().all().mix(Generate.pick(List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE)), EDGE_PERCENT);
  }

  /** Every long, with 0, ±1 and the extremes mixed in. */
  static Gen<Long> longs() {
    return org.quicktheories.generators.SourceDSL.longs().all()
        .mix(Generate.pick(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)), EDGE_PERCENT);
  }

  /** Strings of up to {@code max} characters from {@code chars}; 'x' becomes 😀 (a surrogate pair, never half of one). */
  static Gen<String> strings(String chars, int max) {
    List<Character> cs = chars.chars().mapToObj(c -> (char) c).toList();
    return lists().of(Generate.pick(cs)).ofSizeBetween(0, max).map(l -> {
      StringBuilder b = new StringBuilder();
      l.forEach(b::append);
      return b.toString().replace("x", "😀");
    });
  }

  /** 0–6 specs with distinct names (quotes, backslashes, control characters and non-ASCII included). */
  static Gen<List<Spec>> specs() {
    return specs(5);
  }

  /**
   * As {@link #specs()} with dimensions up to {@code maxDim}; mixed in: rank 0, a zero dimension,
   * size 1 and the largest dimension, and the empty list.
   */
  static Gen<List<Spec>> specs(int maxDim) {
    Gen<String> names = strings("ab.é_0\"\\\n\u0001x", 6);
    Gen<int[]> shapes = Generate.intArrays(integers().between(0, 4), integers().between(0, maxDim))
        .mix(Generate.pick(List.of(new int[0], new int[] {0}, new int[] {1}, new int[] {maxDim, 0, 1})).map(int[]::clone),
            EDGE_PERCENT);
    Gen<Spec> spec = names.zip(Generate.enumValues(StoredDType.class), booleans().all(), shapes, longs(), Spec::new);
    return lists().of(spec).ofSizeBetween(0, 6).map(RandomEntries::distinctNames)
        .mix(Generate.constant(List.<Spec>of()), EDGE_PERCENT / 2);
  }

  /** The specs, each name kept at its first occurrence. */
  private static List<Spec> distinctNames(List<Spec> specs) {
    Map<String, Spec> byName = new LinkedHashMap<>();
    specs.forEach(s -> byName.putIfAbsent(s.name(), s));
    return new ArrayList<>(byName.values());
  }

  /** 0–3 metadata pairs, keys and values of up to 8 characters (quotes, tabs, NUL and non-ASCII included). */
  static Gen<Map<String, String>> metadata() {
    Gen<String> text = strings("k=v \"\\\t\u0000é/x", 8);
    return lists().of(text.zip(text, Map::entry)).ofSizeBetween(0, 3).map(pairs -> {
      Map<String, String> m = new LinkedHashMap<>();
      pairs.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
      return m;
    });
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
