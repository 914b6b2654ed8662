package org.incipit.nn.snn;

/** A spiking network whose number of timesteps T can be changed between forwards (IIR-SNN lowers it). */
public interface Timestepped {
  /** The number of steps T of the next forward. */
  int timesteps();

  /** Sets T ≥ 1 for the next forwards; parameters are untouched. */
  void setTimesteps(int timesteps);
}
