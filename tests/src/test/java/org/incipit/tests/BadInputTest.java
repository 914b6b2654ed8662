package org.incipit.tests;

import static org.junit.jupiter.api.Assertions.*;

import org.incipit.autograd.Convolutions;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Losses;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets an exception whose message names the op and the offending shapes or index. */
class BadInputTest {
  private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
    Throwable e = assertThrows(type, call);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
    assertFalse(e instanceof ArrayIndexOutOfBoundsException, "a raw array error leaked: " + e);
  }

  @Test
  void incompatibleBroadcast() {
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).add(Tensors.zeros(4, 3)),
        "add", "[2, 3]", "[4, 3]", "cannot be broadcast");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(3).maximum(Tensors.zeros(2)), "maximum");
    assertMessage(IllegalArgumentException.class,
        () -> Tensors.where(Tensors.ofBooleans(new boolean[] {true, false}, 2), Tensors.zeros(3), Tensors.zeros(3)), "where");
  }

  @Test
  void matmulInnerDimensions() {
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(3, 4).matmul(Tensors.zeros(5, 2)),
        "matmul", "[3, 4]", "[5, 2]", "inner dimensions differ");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3, 4).matmul(Tensors.zeros(3, 4, 2)),
        "matmul", "cannot be broadcast");
    assertMessage(IllegalArgumentException.class, () -> Tensors.scalar(1).matmul(Tensors.zeros(2)), "matmul");
  }

  @Test
  void reshapeToAnotherElementCount() {
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).reshape(4, 2),
        "reshape", "[2, 3]", "element count differs");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).reshape(-1, -1), "only one dimension can be -1");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).reshape(4, -1), "cannot infer");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).squeeze(0), "squeeze", "size 2");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(3).expand(4), "expand", "[3]", "[4]");
    assertMessage(IllegalArgumentException.class, () -> Tensors.zeros(2, 3).permute(0, 0), "permute", "repeated");
    assertMessage(IndexOutOfBoundsException.class, () -> Tensors.zeros(2, 3).sum(2), "dimension 2", "rank 2");
  }

  @Test
  void outOfRangeIndices() {
    Tensor x = Tensors.zeros(5, 3);
    assertMessage(IndexOutOfBoundsException.class,
        () -> x.indexSelect(0, Tensors.ofLongs(new long[] {1, 5}, 2)), "index_select", "index 5", "size 5");
    assertMessage(IndexOutOfBoundsException.class,
        () -> x.indexSelect(0, Tensors.ofLongs(new long[] {-1}, 1)), "index_select", "index -1");
    assertMessage(IndexOutOfBoundsException.class,
        () -> x.gather(1, Tensors.ofLongs(new long[] {0, 3}, 1, 2)), "gather", "index 3", "size 3");
    assertMessage(IndexOutOfBoundsException.class,
        () -> x.indexAdd(0, Tensors.ofLongs(new long[] {7}, 1), Tensors.zeros(1, 3)), "index_add", "index 7");
    assertMessage(IndexOutOfBoundsException.class,
        () -> Functional.embedding(Tensors.ofLongs(new long[] {2, 9}, 2), x), "embedding", "index 9", "5 rows");
    assertMessage(IndexOutOfBoundsException.class, () -> x.select(0, 5), "select", "index 5", "size 5");
    assertMessage(IllegalArgumentException.class,
        () -> x.indexSelect(0, Tensors.zeros(2)), "index_select", "integer", "F32");
  }

  @Test
  void classTargetsOutOfRange() {
    Tensor logits = Tensors.zeros(3, 4);
    assertMessage(IndexOutOfBoundsException.class,
        () -> Losses.crossEntropy(logits, Tensors.ofLongs(new long[] {0, 4, 1}, 3)),
        "cross_entropy", "target class 4", "4 classes");
    assertMessage(IndexOutOfBoundsException.class,
        () -> Losses.crossEntropy(logits, Tensors.ofLongs(new long[] {0, -1, 1}, 3)), "target class -1");
    assertMessage(IllegalArgumentException.class,
        () -> Losses.crossEntropy(logits, Tensors.ofLongs(new long[] {0, 1}, 2)), "cross_entropy", "target shape [2]");
    assertMessage(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, Tensors.zeros(3)), "integer");
  }

  @Test
  void concatenationAndConvolutionShapes() {
    assertMessage(IllegalArgumentException.class, () -> Tensors.cat(0, Tensors.zeros(2, 3), Tensors.zeros(2, 4)),
        "cat", "sizes differ outside the concatenated dim", "[2, 4]");
    assertMessage(IllegalArgumentException.class, () -> Tensors.stack(0, Tensors.zeros(2), Tensors.zeros(3)), "stack");
    assertMessage(IllegalArgumentException.class,
        () -> Convolutions.conv2d(Tensors.zeros(1, 3, 5, 5), Tensors.zeros(4, 2, 3, 3), null, 1, 0, 1),
        "conv2d", "3 channels", "[4, 2, 3, 3]");
    assertMessage(IllegalArgumentException.class,
        () -> Convolutions.conv2d(Tensors.zeros(1, 2, 2, 2), Tensors.zeros(4, 2, 3, 3), null, 1, 0, 1),
        "conv2d", "does not fit");
    assertMessage(IllegalArgumentException.class,
        () -> Functional.layerNorm(Tensors.zeros(2, 3), new int[] {4}, null, null, 1e-5), "layer_norm", "[2, 3]");
  }

  @Test
  void floatOnlyOpsRefuseIntegers() {
    assertMessage(IllegalArgumentException.class, () -> Tensors.arange(3).exp(), "exp", "I64");
    assertMessage(IllegalArgumentException.class, () -> Tensors.arange(1).backward(), "only floating");
  }
}
