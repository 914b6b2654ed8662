package org.incipit.nn.probe;

/**
 * What one forward and backward pass showed about one leaf layer (all its calls pooled, e.g. the T
 * time steps of a spiking layer). {@code NaN} where a quantity does not apply.
 *
 * @param path the layer's path in the model
 * @param type the layer's class
 * @param calls how often it ran in the pass
 * @param inputVar variance of its inputs
 * @param outputMean mean of its outputs
 * @param outputVar variance of its outputs
 * @param gradOutputVar variance of ∂loss/∂output
 * @param gradInputVar variance of ∂loss/∂input (NaN for the data, which takes no gradient)
 * @param dead fraction of ReLU units that are zero (or whose pre-activation is ≤ 0) for every example
 * @param saturated fraction of tanh outputs with |y| &gt; 0.99 (pre-activations with |z| &gt; atanh 0.99)
 * @param spikeRate mean spike output of a LIF layer
 * @param outsideGrid fraction of a KAN layer's inputs outside its spline grid
 */
public record LayerStats(String path, String type, int calls, double inputVar, double outputMean, double outputVar,
                         double gradOutputVar, double gradInputVar, double dead, double saturated, double spikeRate,
                         double outsideGrid) {
  /** Var(output)/Var(input): how the layer scales the forward signal. */
  public double forwardRatio() {
    return outputVar / inputVar;
  }

  /** Var(∂L/∂input)/Var(∂L/∂output): how it scales the backward signal. */
  public double backwardRatio() {
    return gradInputVar / gradOutputVar;
  }
}
