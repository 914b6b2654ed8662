package org.incipit.models.data;

import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;

/**
 * Synthetic 3×16×16 images drawn from three attributes — colour (4), shape (3) and position (4
 * quadrants) — with ±1 px jitter and Gaussian pixel noise, plus the weighted attribute metric that
 * plays the human oracle of 2AFC triplets. Everything is generated in code from an {@link Rng}.
 *
 * <pre>{@code
 * int[] a = AttributeImages.attributes(17);          // {colour, shape, position}
 * Tensor x = AttributeImages.render(new int[][] {a}, new long[] {0}, rng);   // (1, 768)
 * }</pre>
 */
public final class AttributeImages {
  public static final int COLOURS = 4;
  public static final int SHAPES = 3;
  public static final int POSITIONS = 4;
  public static final int CLASSES = COLOURS * SHAPES * POSITIONS;
  public static final int SIDE = 16;
  public static final int PIXELS = 3 * SIDE * SIDE;
  /** Weights of the oracle's attribute metric: colour differences matter most, position least. */
  public static final double[] WEIGHTS = {3, 2, 1};
  private static final double NOISE = 0.1;
  private static final double[][] RGB = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
  /** Words of the caption vocabulary: colours, then shapes, then positions. */
  public static final String[] WORDS = {"red", "green", "blue", "yellow", "square", "cross", "ring",
      "top-left", "top-right", "bottom-left", "bottom-right"};

  private AttributeImages() {}

  /** {colour, shape, position} of class c ∈ [0, 48). */
  public static int[] attributes(int c) {
    if (c < 0 || c >= CLASSES) {
      throw new IllegalArgumentException("attribute_images: class must be in [0, " + CLASSES + "), got " + c);
    }
    return new int[] {c / (SHAPES * POSITIONS), (c / POSITIONS) % SHAPES, c % POSITIONS};
  }

  public static int classOf(int[] a) {
    return (a[0] * SHAPES + a[1]) * POSITIONS + a[2];
  }

  /** Σ wᵢ·[aᵢ ≠ bᵢ]: the oracle's dissimilarity. */
  public static double distance(int[] a, int[] b) {
    double d = 0;
    for (int i = 0; i < 3; i++) {
      d += a[i] != b[i] ? WEIGHTS[i] : 0;
    }
    return d;
  }

  /** Bag-of-words caption of each class: (N, 11) with three ones per row. */
  public static Tensor captions(int[] classes) {
    double[] bow = new double[classes.length * WORDS.length];
    for (int i = 0; i < classes.length; i++) {
      int[] a = attributes(classes[i]);
      bow[i * WORDS.length + a[0]] = 1;
      bow[i * WORDS.length + COLOURS + a[1]] = 1;
      bow[i * WORDS.length + COLOURS + SHAPES + a[2]] = 1;
    }
    return Tensors.of(DType.F32, bow, classes.length, WORDS.length);
  }

  /**
   * One noisy image per attribute triple, flattened channel-major: (N, 768). Image i draws its jitter
   * and noise from {@code rng.fork(ids[i])}, so an id names one fixed image.
   */
  public static Tensor render(int[][] attrs, long[] ids, Rng rng) {
    if (ids.length != attrs.length) {
      throw new IllegalArgumentException("attribute_images: " + attrs.length + " attribute triples but " + ids.length
          + " image ids");
    }
    double[] x = new double[attrs.length * PIXELS];
    for (int i = 0; i < attrs.length; i++) {
      Rng r = rng.fork(ids[i]);
      double[] noise = r.fork("noise").normal(PIXELS, 0, NOISE);
      long[] jitter = r.fork("jitter").integers(2, 3);
      int[] a = attrs[i];
      int cy = (a[2] / 2) * 8 + 4 + (int) jitter[0] - 1;
      int cx = (a[2] % 2) * 8 + 4 + (int) jitter[1] - 1;
      for (int y = 0; y < SIDE; y++) {
        for (int xx = 0; xx < SIDE; xx++) {
          boolean on = inside(a[1], y - cy, xx - cx);
          for (int ch = 0; ch < 3; ch++) {
            int at = i * PIXELS + (ch * SIDE + y) * SIDE + xx;
            x[at] = (on ? RGB[a[0]][ch] : 0) + noise[at - i * PIXELS];
          }
        }
      }
    }
    return Tensors.of(DType.F32, x, attrs.length, PIXELS);
  }

  /** Whether offset (dy, dx) from the centre lies in shape s: a filled square, a plus, a ring. */
  private static boolean inside(int s, int dy, int dx) {
    int r2 = dy * dy + dx * dx;
    return switch (s) {
      case 0 -> Math.abs(dy) <= 2 && Math.abs(dx) <= 2;
      case 1 -> (Math.abs(dy) <= 3 && Math.abs(dx) <= 0) || (Math.abs(dx) <= 3 && Math.abs(dy) <= 0);
      default -> r2 >= 4 && r2 <= 10;
    };
  }
}
