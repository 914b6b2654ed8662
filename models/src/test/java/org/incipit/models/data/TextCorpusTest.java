package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.incipit.tensor.DType;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextCorpusTest {
  static TextCorpus moby;

  @BeforeAll
  static void load() {
    moby = TextCorpus.mobyDick();
  }

  /** 100 distinct characters in increasing order, so the id of a token is its position. */
  static TextCorpus positions() {
    int[] cps = new int[100];
    Arrays.setAll(cps, i -> 0x100 + i);
    return TextCorpus.of(new String(cps, 0, cps.length), 0.9);
  }

  @Test
  void mobyDickIsTheWholeBook() {
    String t = moby.text();
    assertTrue(t.startsWith("CONTENTS\n"), t.substring(0, 20));
    assertTrue(t.contains("CHAPTER 1. Loomings.\n\nCall me Ishmael."));
    assertTrue(t.endsWith("only found another orphan.\n"));
    assertEquals(1_217_534, moby.size()); // code points of moby-dick.txt (all in the BMP)
    assertEquals(89, moby.vocabSize());
  }

  @Test
  void theVocabularyIsTheSortedDistinctCharacters() {
    String v = moby.vocabulary();
    assertEquals('\n', v.charAt(0));
    assertEquals(' ', v.charAt(1));
    for (int i = 1; i < v.length(); i++) {
      assertTrue(v.charAt(i - 1) < v.charAt(i));
    }
    assertArrayEquals(new int[] {v.indexOf('C'), v.indexOf('a'), v.indexOf('l'), v.indexOf('l')}, moby.encode("Call"));
  }

  @Test
  void encodeAndDecodeRoundTrip() {
    assertEquals(moby.text(), moby.decode(moby.encode(moby.text())));
    assertEquals(moby.text(), moby.decode(moby.tokens()));
    String s = "Call me Ishmael—\"Œ\"";
    assertEquals(s, moby.decode(moby.encode(s)));
    assertThrows(IllegalArgumentException.class, () -> moby.encode("“curly”")); // the package uses straight quotes
    assertThrows(IllegalArgumentException.class, () -> moby.decode(new int[] {89}));
  }

  @Test
  void theSplitIsContiguousNinetyTen() {
    assertEquals(1_095_780, moby.trainSize()); // floor(0.9 · 1,217,534)
    assertEquals(moby.size() - moby.trainSize(), moby.validationSize());
    assertEquals(Shape.of(moby.trainSize()), moby.trainTokens().shape());
    assertEquals(DType.I64, moby.tokens().dtype());
    assertEquals(moby.text(), moby.decode(moby.trainTokens()) + moby.decode(moby.validationTokens()));
    TextCorpus half = TextCorpus.of(moby.text(), 0.5);
    assertEquals(moby.size() / 2, half.trainSize());
  }

  @Test
  void batchesAreWindowsWithTargetsShiftedByOne() {
    int b = 8;
    int t = 64;
    TextCorpus.Batch batch = moby.batch(true, b, t, Rng.seeded(1).fork("batch").fork(0));
    assertEquals(Shape.of(b, t), batch.x().shape());
    assertEquals(Shape.of(b, t), batch.y().shape());
    assertEquals(DType.I64, batch.x().dtype());
    long[] x = batch.x().toLongs();
    long[] y = batch.y().toLongs();
    String train = moby.decode(moby.trainTokens());
    for (int i = 0; i < b; i++) {
      for (int j = 0; j + 1 < t; j++) {
        assertEquals(x[i * t + j + 1], y[i * t + j], "y[" + i + ", " + j + "] = x[" + i + ", " + (j + 1) + "]");
      }
      String window = moby.decode(batch.x().select(0, i)) + moby.decode(new int[] {(int) y[i * t + t - 1]});
      assertTrue(train.contains(window), "row " + i + " is a window of the training text");
    }
  }

  @Test
  void batchOffsetsComeFromTheRngAndStayInTheirPart() {
    TextCorpus c = positions(); // train ids 0..89, validation ids 90..99
    Rng rng = Rng.seeded(5);
    long[] starts = rng.integers(16, 90 - 10);
    TextCorpus.Batch train = c.batch(true, 16, 10, rng);
    long[] x = train.x().toLongs();
    long[] y = train.y().toLongs();
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 10; j++) {
        assertEquals(starts[i] + j, x[i * 10 + j]);
        assertEquals(starts[i] + j + 1, y[i * 10 + j]);
        assertTrue(y[i * 10 + j] < 90, "train targets stay in the train part");
      }
    }
    TextCorpus.Batch val = c.batch(false, 50, 4, Rng.seeded(6)); // starts in [0, 10 − 4)
    for (long id : val.x().toLongs()) {
      assertTrue(id >= 90 && id <= 98, "validation input " + id);
    }
    for (long id : val.y().toLongs()) {
      assertTrue(id >= 91 && id <= 99, "validation target " + id);
    }
  }

  @Test
  void theSameRngGivesTheSameBatch() {
    Rng rng = Rng.seeded(3).fork("batch");
    TextCorpus.Batch a = moby.batch(false, 4, 32, rng.fork(7));
    TextCorpus.Batch b = moby.batch(false, 4, 32, rng.fork(7));
    TextCorpus.Batch c = moby.batch(false, 4, 32, rng.fork(8));
    assertArrayEquals(a.x().toLongs(), b.x().toLongs());
    assertArrayEquals(a.y().toLongs(), b.y().toLongs());
    assertFalse(Arrays.equals(a.x().toLongs(), c.x().toLongs()));
  }

  @Test
  void badArgumentsAreRejected() {
    TextCorpus c = positions();
    assertThrows(IllegalArgumentException.class, () -> c.batch(false, 1, 10, Rng.seeded(1))); // 10 validation tokens
    assertThrows(IllegalArgumentException.class, () -> c.batch(true, 0, 4, Rng.seeded(1)));
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.of("abc", 1.0));
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.of("abc", 0.5)); // 1 train token
  }
}
