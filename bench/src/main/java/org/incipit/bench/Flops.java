package org.incipit.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point work done, in megaflops, as a JMH auxiliary counter: JMH reports it per
 * millisecond, that is in GFLOP/s (the secondary result {@code …:gflops}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
  public long gflops;
  private long flops;

  @Setup(Level.Iteration)
  public void reset() {
    gflops = 0;
    flops = 0;
  }

  void add(long work) {
    flops += work;
    gflops = flops / 1_000_000;
  }
}
