package org.incipit.nn.lint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.init.Constant;
import org.incipit.init.Initializer;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.nn.ResidualBlock;
import org.incipit.nn.layers.Embedding;

/** The rules of {@link Lint} that look at the model's structure or at the drawn values. */
final class StructureRules {
  /**
   * A row is an outlier when its norm lies more than this many robust standard deviations
   * (1.4826·MAD) from the median norm <em>and</em> differs from it by more than {@link #OUTLIER_SHARE}
   * of it. The second condition keeps a small vocabulary, whose MAD is a noisy estimate, from
   * flagging an ordinary row (an N(0, 1) row of dimension 32 one third above the median); a row left
   * at zero, or drawn at a few times the others' scale, fails both.
   */
  static final double OUTLIER_Z = 6;
  static final double OUTLIER_SHARE = 0.5;

  private StructureRules() {}

  /**
   * A deep residual stack is unscaled when, in every block, each branch output is drawn by the same
   * initializer as another weight of its block and no scalar branch multiplier starts at zero.
   */
  static void residualScaling(Module model, List<Finding> out) {
    List<String> blocks = new ArrayList<>();
    String example = null;
    for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
      if (m.getValue() instanceof ResidualBlock rb) {
        blocks.add(m.getKey());
        String twin = unscaledTwin(m.getValue(), rb);
        if (twin == null) {
          return; // something scales this block's branches
        }
        if (example == null) {
          example = Rules.join(m.getKey(), twin.split(" ~ ")[0]) + " is drawn like "
              + Rules.join(m.getKey(), twin.split(" ~ ")[1]) + ", by " + m.getValue().namedParameters()
              .get(twin.split(" ~ ")[0]).initializer();
        }
      }
    }
    if (blocks.size() >= Rules.DEEP) {
      out.add(new Finding(Rules.RESIDUAL, blocks.get(0).isEmpty() ? "(model)" : parent(blocks.get(0)),
          blocks.size() + " residual blocks and nothing scales their branches (" + example
              + "): the residual stream's variance grows about linearly with depth",
          "scale the branch outputs: GPT-2's std/√(2·" + blocks.size() + "), Fixup or T-Fixup, or start them at zero"));
    }
  }

  /** "output ~ twin" (paths in the block) when every branch output is drawn like another weight of the block; null if scaled. */
  private static String unscaledTwin(Module block, ResidualBlock rb) {
    Map<String, Parameter> params = block.namedParameters();
    String said = null;
    for (Parameter p : params.values()) {
      if (p.shape().numel() == 1 && p.initializer() instanceof Constant c && c.value() == 0) {
        return null; // a ReZero/Fixup-style multiplier starting at zero
      }
    }
    for (String outPath : rb.residualOutputs()) {
      Parameter o = params.get(outPath);
      if (o == null) {
        throw new IllegalStateException(block.getClass().getSimpleName() + " names residual output '" + outPath
            + "', which it does not have");
      }
      String twin = params.entrySet().stream().filter(e -> e.getValue() != o && e.getValue().shape().rank() >= 2
          && !rb.residualOutputs().contains(e.getKey()) && e.getValue().initializer().equals(o.initializer()))
          .map(Map.Entry::getKey).findFirst().orElse(null);
      if (twin == null) {
        return null;
      }
      if (said == null) {
        said = outPath + " ~ " + twin;
      }
    }
    return said;
  }

  private static String parent(String path) {
    int i = path.lastIndexOf('.');
    return i < 0 ? "(model)" : path.substring(0, i);
  }

  /** A value that differs from what its recorded initializer draws from its recorded stream (times its pruning mask). */
  static void provenance(Module model, List<Finding> out) {
    model.namedParameters().forEach((path, p) -> {
      Initializer init = p.initializer();
      float[] drawn;
      try {
        Tensor d = init.create(p.shape(), p.fans(), p.stream());
        drawn = (p.mask() == null ? d : d.mul(p.mask().cast(d.dtype()).to(d.device()))).toFloats();
      } catch (RuntimeException e) {
        out.add(new Finding(Rules.PROVENANCE, path, "its recorded initializer " + init + " cannot draw it again: " + e,
            "record the initializer that really made it (Parameter.reinitialize)"));
        return;
      }
      if (!Arrays.equals(drawn, p.value().toFloats())) {
        out.add(new Finding(Rules.PROVENANCE, path, "its value was not drawn by its recorded initializer " + init
            + " (assigned after construction): a reset or re-init pass would silently replace it",
            "record the scheme that made it with Parameter.reinitialize(init, rng) (Initializers.given(name, values)"
                + " for a data-driven value)"));
      }
    });
  }

  /** Rows whose norm lies far from the median row norm (see {@link #OUTLIER_Z}). */
  static void embeddingRows(Module model, List<Finding> out) {
    for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
      if (!(m.getValue() instanceof Embedding e) || e.weight().shape().dim(0) < 8) {
        continue;
      }
      Tensor w = e.weight().value();
      int rows = w.shape().dim(0);
      int dim = w.shape().dim(1);
      double[] v = w.toDoubles();
      double[] norms = new double[rows];
      for (int i = 0; i < rows; i++) {
        double s = 0;
        for (int j = 0; j < dim; j++) {
          s += v[i * dim + j] * v[i * dim + j];
        }
        norms[i] = Math.sqrt(s);
      }
      double median = median(norms.clone());
      double[] dev = new double[rows];
      for (int i = 0; i < rows; i++) {
        dev[i] = Math.abs(norms[i] - median);
      }
      double scale = Math.max(1.4826 * median(dev.clone()), 1e-6 * median);
      List<Integer> bad = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        if (dev[i] > OUTLIER_Z * scale && dev[i] > OUTLIER_SHARE * median) {
          bad.add(i);
        }
      }
      if (!bad.isEmpty()) {
        int first = bad.get(0);
        out.add(new Finding(Rules.EMBEDDING, Rules.join(m.getKey(), "weight"), String.format(Locale.ROOT,
            "%d of %d rows lie far outside the other rows' norms (row %d has norm %.4g; median %.4g, robust std %.3g),"
                + " e.g. new tokens initialized apart from the vocabulary: rows %s", bad.size(), rows, first,
            norms[first], median, scale, bad.size() > 8 ? bad.subList(0, 8) + "…" : bad),
            "initialize new rows from the existing rows' distribution (mean, or a Gaussian with their covariance)"));
      }
    }
  }

  private static double median(double[] x) {
    Arrays.sort(x);
    int n = x.length;
    return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
  }
}
