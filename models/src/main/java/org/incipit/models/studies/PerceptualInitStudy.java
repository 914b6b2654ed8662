package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.init.Initializers;
import org.incipit.init.PerceptualInit;
import org.incipit.models.data.AttributeImages;
import org.incipit.models.nets.Mlp;
import org.incipit.models.report.Citation;
import org.incipit.models.report.Figure;
import org.incipit.models.report.Plots;
import org.incipit.models.report.Progress;
import org.incipit.models.report.Report;
import org.incipit.models.report.Table;
import org.incipit.models.report.Verdict;
import org.incipit.nn.Module;
import org.incipit.nn.Parameter;
import org.incipit.optim.AdamW;
import org.incipit.optim.Optimizer;
import org.incipit.optim.ParamGroup;
import org.incipit.tensor.Rng;
import org.incipit.tensor.Shape;

/**
 * Perceptual-Initialization ({@link PerceptualInit}, Hu et al. 2025, arXiv:2505.14204) on synthetic
 * attribute images ({@link AttributeImages}). Stage 1 trains an MLP image encoder on 2AFC triplets
 * whose answers come from a weighted attribute metric (the stand-in for human judgements); stage 2
 * is CLIP-style InfoNCE against a bag-of-words caption encoder on a few pairs from 36 of the 48
 * classes. Zero-shot accuracy (nearest of the 48 captions, fresh images, all classes and the 12
 * held-out ones) is compared with the same stage 2 from the same random encoder, at equal steps.
 */
public final class PerceptualInitStudy implements Study {
  /** PI must lead random init by this much zero-shot accuracy at the early checkpoint (mean over seeds). */
  static final double EARLY_GAIN = 0.05;
  /** …and may not trail it by more than this at the last checkpoint (low-data regime). */
  static final double LATE_SLACK = 0.02;
  static final int EMBED = 32;

  @Override
  public String name() {
    return "perceptual-init";
  }

  @Override
  public String title() {
    return "Perceptual-Initialization: triplet pre-training before contrastive training";
  }

  @Override
  public Citation paper() {
    return new Citation("Y. Hu, R. Wang, S. C. Zhao, X. Zhan, D. H. Kim, M. Wallace, D. A. Tovar", 2025,
        "Beginning with You: Perceptual-Initialization Improves Vision-Language Representation and Alignment",
        "2505.14204");
  }

  @Override
  public String claim() {
    return "An image encoder first trained on 2AFC similarity triplets (hinge on cosine distance, m = 0.05) and then"
        + " trained contrastively is ahead in zero-shot accuracy of the same contrastive training from random init,"
        + " early and in the low-data regime.";
  }

  /** The CLIP pair: an image encoder, a bag-of-words text encoder and the learnable log scale t. */
  static final class Clip extends Module {
    final Mlp image;
    final Mlp text;
    final Parameter logScale;

    Clip(Mlp image, Rng rng) {
      this.image = child("image", image);
      this.text = child("text", Mlp.pytorchDefault(new int[] {AttributeImages.WORDS.length, EMBED}, Tensor::relu,
          rng.fork("text")));
      this.logScale = param("log_scale", Shape.scalar(), Initializers.constant(StrictMath.log(1 / 0.07)), rng);
    }
  }

  private static Mlp encoder(Rng rng) {
    return Mlp.pytorchDefault(new int[] {AttributeImages.PIXELS, 64, EMBED}, Tensor::relu, rng);
  }

  private static Optimizer adam(Module m, double lr) {
    return new AdamW(ParamGroup.splitDecay(m, AdamW.Hyper.defaults().withLr(lr).withBetas(0.9, 0.98)
        .withWeightDecay(0.1)));
  }

  @Override
  public Report run(StudyContext ctx) {
    boolean full = ctx.full();
    Report report = newReport(ctx);
    int triplets = full ? 5000 : 256;
    int stage1 = full ? 300 : 10;
    int stage2 = full ? 300 : 10;
    int[] checkpoints = full ? new int[] {0, 25, 50, 100, 200, 300} : new int[] {0, 5, 10};
    int early = full ? 50 : 5;
    int seeds = full ? 3 : 1;
    report.setup("images", "3×16×16, 4 colours × 3 shapes × 4 quadrants, ±1 px jitter, pixel noise σ 0.1");
    report.setup("encoder", "MLP 768 → 64 → " + EMBED + " (ReLU), PyTorch-default init (a small CNN in the spec; an"
        + " MLP keeps the CPU budget)");
    report.setup("stage 1 (PI)", triplets + " triplets, oracle = attribute metric with weights colour 3, shape 2,"
        + " position 1; hinge m = " + PerceptualInit.MARGIN + "; AdamW lr 1e-3, betas (0.9, 0.98), wd 0.1, batch 64, "
        + stage1 + " steps");
    report.setup("stage 2 (CLIP)", "3 images per class for 36 classes (108 pairs), bag-of-words caption encoder,"
        + " symmetric InfoNCE with exp(t) ≤ 100, AdamW lr 1e-3, batch 36, " + stage2 + " steps; " + seeds + " seed(s)");
    double[][] pi = new double[seeds][];
    double[][] rnd = new double[seeds][];
    double[][] piHeld = new double[seeds][];
    double[][] rndHeld = new double[seeds][];
    double[] twoAfc = new double[seeds];
    try (Progress progress = ctx.progress(name() + " seeds", seeds)) {
      for (int s = 0; s < seeds; s++) {
        if (s == 0) { // the encoder both arms start from, as runSeed draws it from the same stream
          ctx.initialized("the image encoder (both arms; PI then runs stage 1 on it)",
              encoder(ctx.rng().fork("seed").fork(0).fork("encoder")));
        }
        runSeed(ctx.rng().fork("seed").fork(s), s, triplets, stage1, stage2, checkpoints, pi, rnd, piHeld, rndHeld,
            twoAfc);
        progress.step(s + 1, String.format(Locale.ROOT, "2AFC %.3f", twoAfc[s]));
      }
    }
    return conclude(report, checkpoints, early, pi, rnd, piHeld, rndHeld, twoAfc);
  }

  /** One seed: the same random encoder twice, one of them through stage 1 (PI), then stage 2 for both. */
  private static void runSeed(Rng rng, int s, int triplets, int stage1, int stage2, int[] checkpoints, double[][] pi,
                              double[][] rnd, double[][] piHeld, double[][] rndHeld, double[] twoAfc) {
    Mlp base = encoder(rng.fork("encoder"));
    Mlp perceptual = encoder(rng.fork("encoder"));
    twoAfc[s] = stageOne(perceptual, triplets, stage1, rng.fork("triplets"));
    double[][] r1 = stageTwo(new Clip(perceptual, rng.fork("clip")), stage2, checkpoints, rng.fork("pairs"));
    double[][] r0 = stageTwo(new Clip(base, rng.fork("clip")), stage2, checkpoints, rng.fork("pairs"));
    pi[s] = r1[0];
    piHeld[s] = r1[1];
    rnd[s] = r0[0];
    rndHeld[s] = r0[1];
  }

  /** The triplets' attribute triples {ref, d0, d1} and labels; ties of the oracle are redrawn. */
  private static double stageOne(Mlp enc, int triplets, int steps, Rng rng) {
    int[][][] spec = new int[triplets][][];
    double[] label = new double[triplets];
    for (int i = 0; i < triplets; i++) {
      for (int attempt = 0; ; attempt++) {
        long[] c = rng.fork("spec").fork(i).fork(attempt).integers(3, AttributeImages.CLASSES);
        int[] ref = AttributeImages.attributes((int) c[0]);
        int[] d0 = AttributeImages.attributes((int) c[1]);
        int[] d1 = AttributeImages.attributes((int) c[2]);
        double a = AttributeImages.distance(ref, d0);
        double b = AttributeImages.distance(ref, d1);
        if (a != b) {
          spec[i] = new int[][] {ref, d0, d1};
          label[i] = b < a ? 1 : 0;
          break;
        }
      }
    }
    Optimizer opt = adam(enc, 1e-3);
    int batch = Math.min(64, triplets);
    for (int t = 0; t < steps; t++) {
      long[] pick = rng.fork("batch").fork(t).integers(batch, triplets);
      Tensor[] x = triplet(spec, label, pick, rng);
      opt.step(PerceptualInit.tripletHinge(enc.forward(x[0]), enc.forward(x[1]), enc.forward(x[2]), x[3],
          PerceptualInit.MARGIN).backward());
    }
    long[] held = new long[Math.min(512, triplets)];
    for (int i = 0; i < held.length; i++) {
      held[i] = i;
    }
    Tensor[] x = triplet(spec, label, held, rng);
    return PerceptualInit.twoAfcAccuracy(enc.forward(x[0]), enc.forward(x[1]), enc.forward(x[2]), x[3]);
  }

  /** Rendered ref, d0, d1 images (B, 768) and labels (B) of the picked triplets; triplet i's images are fixed. */
  private static Tensor[] triplet(int[][][] spec, double[] label, long[] pick, Rng rng) {
    Tensor[] out = new Tensor[4];
    for (int role = 0; role < 3; role++) {
      int[][] attrs = new int[pick.length][];
      long[] ids = new long[pick.length];
      for (int i = 0; i < pick.length; i++) {
        attrs[i] = spec[(int) pick[i]][role];
        ids[i] = 3 * pick[i] + role;
      }
      out[role] = AttributeImages.render(attrs, ids, rng.fork("images"));
    }
    double[] y = new double[pick.length];
    for (int i = 0; i < pick.length; i++) {
      y[i] = label[(int) pick[i]];
    }
    out[3] = Tensors.of(org.incipit.tensor.DType.F32, y, pick.length);
    return out;
  }

  /** Zero-shot accuracy [all classes, held-out classes] at each checkpoint of a stage-2 run. */
  private static double[][] stageTwo(Clip clip, int steps, int[] checkpoints, Rng rng) {
    List<Integer> seen = new ArrayList<>();
    for (int c = 0; c < AttributeImages.CLASSES; c++) {
      if (c % 4 != 3) {
        seen.add(c);
      }
    }
    int pairs = seen.size() * 3;
    int[] cls = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      cls[i] = seen.get(i % seen.size());
    }
    Optimizer opt = adam(clip, 1e-3);
    double[][] acc = new double[2][checkpoints.length];
    int next = 0;
    for (int t = 0; t <= steps; t++) {
      if (next < checkpoints.length && checkpoints[next] == t) {
        double[] a = zeroShot(clip, rng.fork("test"));
        acc[0][next] = a[0];
        acc[1][next++] = a[1];
      }
      if (t == steps) {
        break;
      }
      int[] batch = new int[Math.min(36, pairs)];
      long[] ids = new long[batch.length];
      int[] order = rng.fork("batch").fork(t).permutation(pairs);
      int[][] attrs = new int[batch.length][];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = cls[order[i]];
        ids[i] = order[i];
        attrs[i] = AttributeImages.attributes(batch[i]);
      }
      Tensor img = clip.image.forward(AttributeImages.render(attrs, ids, rng.fork("train"))); // (B, E)
      Tensor txt = clip.text.forward(AttributeImages.captions(batch)); // (B, E)
      opt.step(PerceptualInit.infoNce(img, txt, clip.logScale.value()).backward());
    }
    return acc;
  }

  /** Accuracy of the nearest caption among all 48 on 4 fresh images per class: [all, held-out classes]. */
  private static double[] zeroShot(Clip clip, Rng rng) {
    int n = AttributeImages.CLASSES * 4;
    int[][] attrs = new int[n][];
    long[] ids = new long[n];
    int[] all = new int[AttributeImages.CLASSES];
    for (int c = 0; c < all.length; c++) {
      all[c] = c;
    }
    for (int i = 0; i < n; i++) {
      attrs[i] = AttributeImages.attributes(i % AttributeImages.CLASSES);
      ids[i] = i;
    }
    long[] guess = PerceptualInit.nearest(clip.image.forward(AttributeImages.render(attrs, ids, rng)),
        clip.text.forward(AttributeImages.captions(all)));
    int right = 0;
    int heldRight = 0;
    for (int i = 0; i < n; i++) {
      int c = i % AttributeImages.CLASSES;
      right += guess[i] == c ? 1 : 0;
      heldRight += guess[i] == c && c % 4 == 3 ? 1 : 0;
    }
    return new double[] {(double) right / n, (double) heldRight / (n / 4)};
  }

  private static double[] mean(double[][] runs) {
    double[] m = new double[runs[0].length];
    for (double[] r : runs) {
      for (int i = 0; i < m.length; i++) {
        m[i] += r[i] / runs.length;
      }
    }
    return m;
  }

  private Report conclude(Report report, int[] checkpoints, int early, double[][] pi, double[][] rnd,
                          double[][] piHeld, double[][] rndHeld, double[] twoAfc) {
    double[] p = mean(pi);
    double[] r = mean(rnd);
    double[] ph = mean(piHeld);
    double[] rh = mean(rndHeld);
    List<List<Object>> rows = new ArrayList<>();
    double[] x = new double[checkpoints.length];
    int e = 0;
    for (int i = 0; i < checkpoints.length; i++) {
      x[i] = checkpoints[i];
      e = checkpoints[i] == early ? i : e;
      rows.add(List.of(checkpoints[i], r[i], p[i], p[i] - r[i], rh[i], ph[i]));
    }
    report.add(new Table("zero-shot accuracy over 48 captions (mean over seeds; chance 0.021)", List.of("stage-2 step",
        "random init", "PI", "PI − random", "random, held-out classes", "PI, held-out classes"), rows));
    report.add(new Figure("zero-shot accuracy", Plots.lines("zero-shot accuracy (all 48 classes)",
        Plots.Axes.linear("stage-2 step", "accuracy"), List.of(new Plots.Series("random init", x, r),
            new Plots.Series("Perceptual-Initialization", x, p)))));
    report.measure("pi.zero_shot", p);
    report.measure("random.zero_shot", r);
    report.measure("pi.stage1_2afc_accuracy", mean(new double[][] {twoAfc})[0]);
    int last = checkpoints.length - 1;
    double earlyGain = p[e] - r[e];
    double lateGain = p[last] - r[last];
    boolean ok = earlyGain >= EARLY_GAIN && lateGain >= -LATE_SLACK;
    report.verdict(new Verdict(ok, String.format(Locale.ROOT, "zero-shot accuracy at stage-2 step %d: PI %.3f vs random"
            + " %.3f (gain %+.3f, needs ≥ %.2f); at step %d: PI %.3f vs random %.3f (gain %+.3f, needs ≥ −%.2f);"
            + " held-out classes at step %d: PI %.3f vs random %.3f; stage-1 2AFC accuracy %.3f.%s", checkpoints[e],
        p[e], r[e], earlyGain, EARLY_GAIN, checkpoints[last], p[last], r[last], lateGain, LATE_SLACK,
        checkpoints[last], ph[last], rh[last], java.util.Arrays.stream(twoAfc).average().orElseThrow(),
        ok ? "" : (earlyGain >= EARLY_GAIN ? " Early lead held, late part failed." : lateGain >= -LATE_SLACK
            ? " Late part held, early lead failed." : " Both parts failed."))));
    return report;
  }
}
