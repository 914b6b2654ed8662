package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class BatchesTest {
  /** Dataset sizes 0–300: 0, 1, the largest batch size and its neighbours, and 300 mixed in one draw in five. */
  static final Gen<Integer> SIZES = integers().between(0, 300).mix(Generate.pick(List.of(0, 1, 63, 64, 65, 300)), 20);
  /** Batch sizes 1–64, the ends mixed in. */
  static final Gen<Integer> BATCH_SIZES = integers().between(1, 64).mix(Generate.pick(List.of(1, 64)), 20);

  static int[] flat(List<int[]> batches) {
    return batches.stream().flatMapToInt(Arrays::stream).toArray();
  }

  @Test
  void everyIndexOncePerEpoch() {
    qt().withFixedSeed(61L).withExamples(200)
        .forAll(SIZES, BATCH_SIZES, longs().all(), integers().between(0, 50).mix(Generate.pick(List.of(0, 50)), 20))
        .checkAssert(BatchesTest::everyIndexOncePerEpoch);
  }

  static void everyIndexOncePerEpoch(int n, int batchSize, long seed, int epoch) {
    List<int[]> batches = Batches.indices(n, batchSize, Rng.seeded(seed), epoch);
    assertArrayEquals(IntStream.range(0, n).toArray(), Arrays.stream(flat(batches)).sorted().toArray());
    assertEquals((n + batchSize - 1) / batchSize, batches.size());
    for (int i = 0; i + 1 < batches.size(); i++) {
      assertEquals(batchSize, batches.get(i).length);
    }
  }

  @Test
  void droppingKeepsOnlyFullBatches() {
    qt().withFixedSeed(62L).withExamples(200).forAll(SIZES, BATCH_SIZES, longs().all())
        .checkAssert(BatchesTest::droppingKeepsOnlyFullBatches);
  }

  static void droppingKeepsOnlyFullBatches(int n, int batchSize, long seed) {
    Rng rng = Rng.seeded(seed);
    List<int[]> dropped = Batches.indices(n, batchSize, rng, 3, Batches.Remainder.DROP);
    assertEquals(n / batchSize, dropped.size());
    dropped.forEach(b -> assertEquals(batchSize, b.length));
    int[] kept = flat(Batches.indices(n, batchSize, rng, 3));
    // the full batches are the same; only the remainder is left out
    assertArrayEquals(Arrays.copyOf(kept, n - n % batchSize), flat(dropped));
    assertEquals(n - n % batchSize, Arrays.stream(flat(dropped)).distinct().count());
  }

  @Test
  void theOrderIsAFunctionOfSeedAndEpoch() {
    Rng rng = Rng.seeded(42).fork("batches");
    int[] e0 = flat(Batches.indices(1000, 32, rng, 0));
    assertArrayEquals(e0, flat(Batches.indices(1000, 32, Rng.seeded(42).fork("batches"), 0)));
    assertArrayEquals(rng.fork(0).permutation(1000), e0);
    assertFalse(Arrays.equals(e0, flat(Batches.indices(1000, 32, rng, 1))));
    assertFalse(Arrays.equals(e0, flat(Batches.indices(1000, 32, Rng.seeded(43).fork("batches"), 0))));
    // the batch size cuts the same order differently
    assertArrayEquals(e0, flat(Batches.indices(1000, 7, rng, 0)));
  }

  @Test
  void gatheringABatchOfDigits() {
    LabeledData digits = Digits.load();
    int[] rows = Batches.indices(digits.size(), 64, Rng.seeded(1), 0).get(0);
    LabeledData b = Batches.gather(digits, rows);
    assertEquals(Shape.of(64, 64), b.features().shape());
    assertEquals(Shape.of(64), b.labels().shape());
    long[] all = digits.labels().toLongs();
    long[] got = b.labels().toLongs();
    float[] allX = digits.features().toFloats();
    float[] gotX = b.features().toFloats();
    for (int i = 0; i < rows.length; i++) {
      assertEquals(all[rows[i]], got[i]);
      assertArrayEquals(Arrays.copyOfRange(allX, rows[i] * 64, rows[i] * 64 + 64),
          Arrays.copyOfRange(gotX, i * 64, i * 64 + 64));
    }
    List<LabeledData> epoch = Batches.epoch(digits, 100, Rng.seeded(1), 0, Batches.Remainder.DROP);
    assertEquals(17, epoch.size()); // 1797 = 17·100 + 97
    assertEquals(1797, Batches.epoch(digits, 100, Rng.seeded(1), 0, Batches.Remainder.KEEP)
        .stream().mapToInt(LabeledData::size).sum());
  }
}
