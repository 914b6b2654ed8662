package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

/** Merging the most frequent training bigrams: ids, greedy re-encoding, characters per token, batches. */
class BigramMergesTest {
  // training part (75 %): "aaaa b aaaa b aaaa b c" — 'aa' occurs 9 times, nothing else more than 3
  private static final TextCorpus TEXT = TextCorpus.of("aaaa b aaaa b aaaa b cc ab a", 0.75);

  @Test
  void theMostFrequentBigramGetsTheFirstNewId() {
    BigramMerges m = BigramMerges.top(TEXT, 2);
    int a = TEXT.encode("a")[0];
    assertArrayEquals(new int[] {a, a}, m.pair(0), "'aa' is the most frequent training bigram");
    assertEquals(9, m.pairCount(0));
    assertTrue(m.pairCount(1) <= m.pairCount(0));
    assertEquals(TEXT.vocabSize() + 2, m.vocabSize());
    // greedy left to right: "aaa" → [aa, a]
    assertArrayEquals(new int[] {TEXT.vocabSize(), a}, m.encode(TEXT.encode("aaa")));
  }

  @Test
  void reEncodingKeepsEveryCharacter() {
    BigramMerges m = BigramMerges.top(TEXT, 3);
    long chars = 0;
    for (int id : m.trainTokens()) {
      chars += m.chars(id);
    }
    assertEquals(TEXT.trainSize(), chars, "the training tokens stand for the training characters");
    long[] counts = m.trainCounts();
    assertTrue(counts[TEXT.vocabSize()] > 0, "the first merge occurs");
    TextCorpus.Batch b = m.batch(true, 3, 4, Rng.seeded(1));
    assertEquals(3, b.x().size(0));
    for (long y : b.y().toLongs()) {
      assertTrue(y >= 0 && y < m.vocabSize());
    }
    assertThrows(IllegalArgumentException.class, () -> BigramMerges.top(TEXT, 0));
    assertThrows(IllegalArgumentException.class, () -> m.batch(false, 1, 1000, Rng.seeded(0)));
  }
}
