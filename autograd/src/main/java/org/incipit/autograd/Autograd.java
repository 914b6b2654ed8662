package org.incipit.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * The backward pass: one walk of the tape in reverse topological order.
 *
 * <p>For every tensor the walk holds the sum of the gradients flowing into it (a tensor used twice
 * receives both). Each rule's results are summed back to its input's shape here — the one place
 * broadcasting is undone — and cast to the input's dtype. The graph is never modified, so calling
 * backward twice gives the same gradients.
 */
public final class Autograd {
  private Autograd() {}

  /** Gradients of sum(output · gradOutput) with respect to every leaf that requires them. */
  public static Gradients grad(Tensor output, Tensor gradOutput, GradMode mode) {
    return new Gradients(run(output, gradOutput, mode, null));
  }

  /**
   * Gradients of sum(output · gradOutput) with respect to {@code wrt} — leaves or intermediate
   * tensors of the graph (torch.autograd.grad).
   */
  public static Gradients grad(Tensor output, Tensor gradOutput, GradMode mode, Tensor... wrt) {
    Set<Tensor> targets = Collections.newSetFromMap(new IdentityHashMap<>());
    targets.addAll(List.of(wrt));
    return new Gradients(run(output, gradOutput, mode, targets));
  }

  private static Map<Tensor, Tensor> run(Tensor output, Tensor seed, GradMode mode, Set<Tensor> targets) {
    if (!output.dtype().isFloating()) {
      throw new IllegalArgumentException("backward: the output is " + output.dtype() + "; only floating tensors have gradients");
    }
    if (!seed.shape().equals(output.shape())) {
      throw new IllegalArgumentException("backward: gradient of shape " + seed.shape()
          + " does not match the output's shape " + output.shape());
    }
    Map<Tensor, Tensor> result = new IdentityHashMap<>();
    if (!output.requiresGrad()) {
      return result;
    }
    List<Tensor> order = topologicalOrder(output);
    Map<Tensor, Tensor> pending = new IdentityHashMap<>();
    pending.put(output, seed.cast(output.dtype()));
    NoGrad scope = mode == GradMode.CREATE_GRAPH ? null : NoGrad.enter();
    try {
      for (int i = order.size() - 1; i >= 0; i--) {
        Tensor t = order.get(i);
        Tensor g = pending.remove(t);
        if (g == null) {
          continue;
        }
        if (targets == null ? t.isLeaf() : targets.contains(t)) {
          result.put(t, g.contiguous()); // materialised once, not by every consumer
        }
        if (!t.isLeaf()) {
          propagate(t, g, pending);
        }
      }
    } finally {
      if (scope != null) {
        scope.close();
      }
    }
    return result;
  }

  private static void propagate(Tensor t, Tensor g, Map<Tensor, Tensor> pending) {
    Node node = t.node();
    Tensor[] inputs = node.inputs();
    Tensor[] gin = Anomaly.isActive()
        ? Anomaly.within("backward of op '" + node.op() + "'", () -> node.rule().apply(g, t, inputs))
        : node.rule().apply(g, t, inputs);
    for (int j = 0; j < inputs.length; j++) {
      Tensor in = inputs[j];
      if (in == null || !in.requiresGrad() || gin[j] == null) {
        continue;
      }
      Tensor gj = sumTo(gin[j], in.shape(), node.op());
      if (gj.dtype() != in.dtype()) {
        gj = gj.cast(in.dtype());
      }
      if (Anomaly.isActive()) {
        Anomaly.check(gj, "backward of op '" + node.op() + "' (the gradient of input " + j + ")", inputs);
      }
      pending.merge(in, gj, Tensor::add);
    }
  }

  /** Sums a gradient of a broadcast shape back to {@code shape} (leading axes and size-1 axes). */
  static Tensor sumTo(Tensor g, org.incipit.tensor.Shape shape, String op) {
    if (g.shape().equals(shape)) {
      return g;
    }
    if (!shape.broadcastsTo(g.shape())) {
      throw new IllegalStateException("backward of " + op + ": gradient of shape " + g.shape()
          + " cannot be reduced to the input shape " + shape);
    }
    int lead = g.rank() - shape.rank();
    List<Integer> axes = new ArrayList<>();
    for (int a = 0; a < g.rank(); a++) {
      if (a < lead || (shape.dim(a - lead) == 1 && g.size(a) != 1)) {
        axes.add(a);
      }
    }
    Tensor s = g.sumKeepDims(axes.stream().mapToInt(Integer::intValue).toArray());
    return s.reshape(shape.dims());
  }

  /** Tensors reachable from {@code root} through tape nodes, each after all of its inputs. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object[]> stack = new ArrayDeque<>(); // (tensor, next input index)
    stack.push(new Object[] {root, 0});
    visited.add(root);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Tensor t = (Tensor) top[0];
      int next = (Integer) top[1];
      Tensor[] inputs = t.isLeaf() ? new Tensor[0] : t.node().inputs();
      if (next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        if (in != null && in.requiresGrad() && visited.add(in)) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }
}
