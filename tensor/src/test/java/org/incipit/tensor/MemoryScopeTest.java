package org.incipit.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The {@link MemoryScope} contract, with a stand-in buffer that counts its closes. */
class MemoryScopeTest {
  /** A buffer that registers like a device buffer and records how often it was closed. */
  static final class Counted implements Buffer {
    int closes;

    Counted() {
      MemoryScope.register(this);
    }

    @Override
    public DType dtype() {
      return DType.F32;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public Backend backend() {
      return null;
    }

    @Override
    public void close() {
      closes++;
    }
  }

  @Test
  void closingAScopeClosesWhatItOwnsExceptWhatWasKept() {
    Counted outside = new Counted();
    Counted temp;
    Counted kept;
    try (MemoryScope s = MemoryScope.open()) {
      temp = new Counted();
      kept = s.keep(new Counted());
      assertTrue(s.owns(temp));
      assertFalse(s.owns(kept));
      assertEquals(1, s.size());
      assertSame(s, MemoryScope.current());
    }
    assertNull(MemoryScope.current());
    assertEquals(1, temp.closes);
    assertEquals(0, kept.closes, "kept at the outermost scope: the caller owns it");
    assertEquals(0, outside.closes, "allocated before the scope: not the scope's");
  }

  @Test
  void keepMovesABufferToTheEnclosingScope() {
    Counted kept;
    try (MemoryScope outer = MemoryScope.open()) {
      try (MemoryScope inner = MemoryScope.open()) {
        kept = inner.keep(new Counted());
        assertTrue(outer.owns(kept));
      }
      assertEquals(0, kept.closes);
    }
    assertEquals(1, kept.closes, "the outer scope closed it");
  }

  @Test
  void closingTwiceIsHarmlessAndOutOfOrderIsAnError() {
    MemoryScope outer = MemoryScope.open();
    MemoryScope inner = MemoryScope.open();
    IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
    assertTrue(e.getMessage().contains("out of order"), e.getMessage());
    Counted b = new Counted();
    inner.close();
    inner.close();
    outer.close();
    assertEquals(1, b.closes);
    assertThrows(IllegalStateException.class, () -> inner.keep(b));
  }

  @Test
  void onlyTheOpeningThreadMayCloseAScope() throws InterruptedException {
    MemoryScope s = MemoryScope.open();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      assertNull(MemoryScope.current(), "scopes are per thread");
      try {
        s.close();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    t.join();
    s.close();
    assertInstanceOf(IllegalStateException.class, thrown.get());
  }
}
