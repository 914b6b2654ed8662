package org.incipit.init;

/**
 * T-Fixup: a transformer without LayerNorm and without learning-rate warmup, made trainable by its
 * initialization (Huang, Perez, Ba, Volkovs 2020, "Improving Transformer Optimization Through
 * Better Initialization", ICML 2020, PMLR 119; cited by its proceedings, no arXiv id).
 *
 * <p>For an encoder of N layers and a decoder of M layers, d the model width:
 * <pre>
 * every weight matrix except the embeddings:  Xavier uniform, U(±√(6/(fan_in + fan_out)))
 * input embeddings:                           N(0, d^(−1/2))    (std d^(−1/2), variance 1/d)
 * decoder: v, w (value and output projection of every attention), the MLP weights and the
 *          embeddings                          × (9M)^(−1/4)
 * encoder: v, w and the MLP weights            × 0.67 · N^(−1/4)
 *          the encoder's embeddings            × (9N)^(−1/4)
 * query and key projections: plain Xavier; LayerNorm and warmup removed
 * </pre>
 * The constants come from the official code (layer6ai-labs/T-Fixup, fairseq
 * {@code transformer.py}), where the encoder factor is the literal {@code 0.67 · encoder_layers^(−1/4)}
 * and the decoder factor {@code (9·decoder_layers)^(−1/4)}. Choices the paper leaves open, made here:
 * biases are 0 (fairseq's default for attention and MLP biases under Xavier); fairseq's
 * multiplication of the embedding output by √d is not applied by models without it (documented
 * where the scheme is used, {@code models/nets/CharGpt}).
 *
 * <pre>{@code
 * Initializer v = TFixup.xavier().scaled(TFixup.decoderScale(6));  // (54)^(−1/4) ≈ 0.368
 * Initializer emb = TFixup.embedding(128, TFixup.decoderScale(6));
 * }</pre>
 * Held by {@code FixupPropertiesTest} (the constants, the embedding's sample variance) and the
 * {@code t-fixup} study.
 */
public final class TFixup {
  /** The encoder's literal constant in front of N^(−1/4). */
  public static final double ENCODER_CONSTANT = 0.67;

  private TFixup() {}

  /** (9M)^(−1/4) for a decoder of M ≥ 1 layers. */
  public static double decoderScale(int layers) {
    return StrictMath.pow(9.0 * checkLayers(layers), -0.25);
  }

  /** 0.67·N^(−1/4) for an encoder of N ≥ 1 layers. */
  public static double encoderScale(int layers) {
    return ENCODER_CONSTANT * StrictMath.pow(checkLayers(layers), -0.25);
  }

  /** Xavier uniform (gain 1), the init of every non-embedding matrix. */
  public static Initializer xavier() {
    return Initializers.xavierUniform(1);
  }

  /** An embedding table N(0, (d^(−1/2)·scale)²) for width {@code dModel} = d. */
  public static Initializer embedding(int dModel, double scale) {
    if (dModel < 1 || !(scale > 0)) {
      throw new IllegalArgumentException("t-fixup: embedding needs d ≥ 1 and scale > 0, got d = " + dModel
          + ", scale = " + scale);
    }
    return Initializers.normal(0, scale / StrictMath.sqrt(dModel));
  }

  private static int checkLayers(int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("t-fixup: the number of layers must be ≥ 1, got " + layers);
    }
    return layers;
  }
}
