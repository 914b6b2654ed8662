package org.incipit.nn.layers;

import java.util.function.UnaryOperator;
import org.incipit.autograd.Functional;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Layer;

/** A parameter-free elementwise function as a layer, for {@link org.incipit.nn.Sequential}. */
public final class Activation extends Layer implements org.incipit.nn.Nonlinear {
  private final String name;
  private final UnaryOperator<Tensor> f;

  public Activation(String name, UnaryOperator<Tensor> f) {
    this.name = name;
    this.f = f;
  }

  public static Activation relu() {
    return new Activation("relu", Tensor::relu);
  }

  public static Activation tanh() {
    return new Activation("tanh", Tensor::tanh);
  }

  public static Activation gelu() {
    return new Activation("gelu", Functional::gelu);
  }

  public static Activation identity() {
    return new Activation("identity", x -> x);
  }

  @Override
  protected Tensor compute(Tensor x) {
    return f.apply(x);
  }

  public String name() {
    return name;
  }

  @Override
  public String nonlinearity() {
    return name;
  }

  @Override
  public String toString() {
    return "Activation(" + name + ")";
  }
}
