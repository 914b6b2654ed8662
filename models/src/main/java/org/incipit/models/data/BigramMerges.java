package org.incipit.models.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.incipit.tensor.Rng;

/**
 * A character corpus with its k most frequent training bigrams added as new symbols (one BPE-style
 * merge round): the setting of vocabulary expansion, where a trained char model meets tokens it has
 * never seen. Old ids keep their meaning; merge i gets id V + i. The text is re-encoded greedily
 * left to right: a pair that is a merge becomes its symbol, otherwise one character is emitted.
 * The train/validation boundary is the character corpus's, so no token spans it. An immutable value.
 *
 * <pre>
 * BigramMerges m = BigramMerges.top(TextCorpus.mobyDick(), 16);
 * m.vocabSize();                        // V + 16
 * TextCorpus.Batch b = m.batch(true, 8, 32, rng);   // (8, 32) each, ids in [0, V + 16)
 * m.chars(b.y());                       // characters the targets stand for, to report loss per character
 * </pre>
 */
public final class BigramMerges {
  private final int base;          // V, the characters
  private final int[][] pairs;     // (k, 2): merge i = (pairs[i][0], pairs[i][1])
  private final long[] pairCounts; // training count of each merge's bigram
  private final int[] tokens;      // the whole text re-encoded
  private final int trainSize;     // tokens [0, trainSize) come from the training characters

  private BigramMerges(TextCorpus corpus, int[][] pairs, long[] pairCounts) {
    this.base = corpus.vocabSize();
    this.pairs = pairs;
    this.pairCounts = pairCounts;
    int[] ids = corpus.encode(corpus.text());
    int[] train = encode(Arrays.copyOfRange(ids, 0, corpus.trainSize()));
    int[] val = encode(Arrays.copyOfRange(ids, corpus.trainSize(), ids.length));
    this.tokens = new int[train.length + val.length];
    System.arraycopy(train, 0, tokens, 0, train.length);
    System.arraycopy(val, 0, tokens, train.length, val.length);
    this.trainSize = train.length;
  }

  /** The {@code k} most frequent bigrams of the training characters (ties: the smaller pair id first). */
  public static BigramMerges top(TextCorpus corpus, int k) {
    int v = corpus.vocabSize();
    if (k < 1 || k > v * v) {
      throw new IllegalArgumentException("BigramMerges: k must be in [1, " + v * v + "], got " + k);
    }
    int[] ids = corpus.encode(corpus.text());
    long[] counts = new long[v * v];
    for (int i = 0; i + 1 < corpus.trainSize(); i++) {
      counts[ids[i] * v + ids[i + 1]]++;
    }
    Integer[] order = new Integer[v * v];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
    int[][] pairs = new int[k][];
    long[] pc = new long[k];
    for (int i = 0; i < k; i++) {
      pairs[i] = new int[] {order[i] / v, order[i] % v};
      pc[i] = counts[order[i]];
    }
    return new BigramMerges(corpus, pairs, pc);
  }

  /** Greedy left-to-right re-encoding of character ids. */
  public int[] encode(int[] charIds) {
    int[] merge = new int[base * base];
    Arrays.fill(merge, -1);
    for (int i = 0; i < pairs.length; i++) {
      merge[pairs[i][0] * base + pairs[i][1]] = base + i;
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < charIds.length; i++) {
      int m = i + 1 < charIds.length ? merge[charIds[i] * base + charIds[i + 1]] : -1;
      out.add(m >= 0 ? m : charIds[i]);
      i += m >= 0 ? 1 : 0;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** V: the characters. */
  public int baseVocab() {
    return base;
  }

  /** k: the merges. */
  public int merges() {
    return pairs.length;
  }

  /** V + k. */
  public int vocabSize() {
    return base + pairs.length;
  }

  /** The two character ids of merge {@code i} (token id V + i). */
  public int[] pair(int i) {
    return pairs[i].clone();
  }

  /** How often merge {@code i}'s bigram occurs in the training characters. */
  public long pairCount(int i) {
    return pairCounts[i];
  }

  /** The re-encoded training tokens (a copy). */
  public int[] trainTokens() {
    return Arrays.copyOfRange(tokens, 0, trainSize);
  }

  /** How many training tokens each id has: (V + k). */
  public long[] trainCounts() {
    long[] c = new long[vocabSize()];
    for (int i = 0; i < trainSize; i++) {
      c[tokens[i]]++;
    }
    return c;
  }

  /** Characters per token id: 1 for a character, 2 for a merge. */
  public int chars(int id) {
    return id < base ? 1 : 2;
  }

  /** The number of characters the ids of {@code t} (any shape) stand for. */
  public long chars(org.incipit.autograd.Tensor t) {
    long n = 0;
    for (long id : t.toLongs()) {
      n += chars((int) id);
    }
    return n;
  }

  /** Random windows of the re-encoded train or validation tokens, as {@link TextCorpus#batch}. */
  public TextCorpus.Batch batch(boolean train, int batchSize, int context, Rng rng) {
    return TextCorpus.windows("BigramMerges.batch", tokens, trainSize, train, batchSize, context, rng);
  }
}
