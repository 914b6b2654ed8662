package org.incipit.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;
import org.incipit.autograd.Tensors;
import org.incipit.nn.layers.Activation;
import org.incipit.nn.layers.Linear;
import org.incipit.nn.layers.TransformerBlock;
import org.incipit.tensor.Rng;
import org.junit.jupiter.api.Test;

class ModuleTest {
  private static Sequential mlp(Rng rng) {
    return new Sequential(new Linear(4, 8, rng.fork("0")), Activation.relu(), new Linear(8, 3, rng.fork("2")));
  }

  @Test
  void pathsFollowRegistrationOrder() {
    Sequential m = mlp(Rng.seeded(1));
    assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(m.namedParameters().keySet()));
    assertEquals(4 * 8 + 8 + 8 * 3 + 3, m.parameterCount());
    TransformerBlock block = new TransformerBlock(8, 2, Rng.seeded(1));
    assertTrue(block.namedParameters().containsKey("attn.wq.weight"));
    assertTrue(block.namedParameters().containsKey("mlp.proj.bias"));
    assertTrue(block.namedModules().containsKey("attn.wo"));
  }

  /** A parameter's values depend on (seed, path) only: building other layers first changes nothing. */
  @Test
  void initDependsOnSeedAndPathNotOnConstructionOrder() {
    Rng rng = Rng.seeded(42);
    Linear direct = new Linear(4, 8, rng.fork("0"));
    new Linear(100, 100, rng.fork("unrelated")); // an extra draw in between
    Sequential m = mlp(rng);
    assertArrayEquals(direct.weight().value().toDoubles(), m.namedParameters().get("0.weight").value().toDoubles(), 0.0);
    assertNotEquals(m.namedParameters().get("0.weight").value().toDoubles()[0],
        mlp(Rng.seeded(43)).namedParameters().get("0.weight").value().toDoubles()[0]);
  }

  @Test
  void resetRedrawsExactlyTheConstructionValues() {
    Rng rng = Rng.seeded(5);
    Sequential m = mlp(rng);
    Map<String, Tensor> before = m.stateDict();
    m.namedParameters().values().forEach(p -> p.assign(Tensors.zerosLike(p.value())));
    m.reset(rng);
    before.forEach((k, v) -> assertArrayEquals(v.toDoubles(), m.namedParameters().get(k).value().toDoubles(), 0.0, k));
  }

  @Test
  void loadStateDictValidatesEverythingFirst() {
    Sequential a = mlp(Rng.seeded(1));
    Sequential b = mlp(Rng.seeded(2));
    b.loadStateDict(a.stateDict());
    assertArrayEquals(a.stateDict().get("2.weight").toDoubles(), b.stateDict().get("2.weight").toDoubles(), 0.0);
    Map<String, Tensor> bad = new java.util.LinkedHashMap<>(a.stateDict());
    bad.remove("0.bias");
    bad.put("0.weight", Tensors.zeros(3, 3));
    bad.put("extra", Tensors.zeros(1));
    double before = b.stateDict().get("2.bias").toDoubles()[0];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad));
    assertTrue(e.getMessage().contains("missing '0.bias'") && e.getMessage().contains("'0.weight' has shape [3, 3]")
        && e.getMessage().contains("unexpected 'extra'"), e.getMessage());
    assertEquals(before, b.stateDict().get("2.bias").toDoubles()[0], 0.0, "nothing assigned on error");
  }

  @Test
  void hooksSeeEveryInputAndCanBeRemoved() throws Exception {
    Sequential m = mlp(Rng.seeded(1));
    Linear first = (Linear) m.layers().get(0);
    List<Tensor> seen = new ArrayList<>();
    AutoCloseable handle = first.addHook((layer, in, out) -> seen.add(in));
    Tensor x = Tensors.randn(Rng.seeded(9), 5, 4);
    m.forward(x);
    m.forward(x);
    assertEquals(2, seen.size());
    assertSame(x, seen.get(0));
    handle.close();
    m.forward(x);
    assertEquals(2, seen.size());
  }

  @Test
  void namesAreChecked() {
    Module m = new Module() {
      {
        param("w", org.incipit.tensor.Shape.of(2, 2), org.incipit.init.Initializers.zeros(), Rng.seeded(1));
        assertThrows(IllegalArgumentException.class, () -> param("w", org.incipit.tensor.Shape.of(1, 1),
            org.incipit.init.Initializers.zeros(), Rng.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> child("a.b", new Sequential()));
      }
    };
    assertEquals(1, m.namedParameters().size());
  }
}
