package org.incipit.nn;

import java.util.List;

/** Modules held in a list and registered as children "0", "1", … (PyTorch's nn.ModuleList). */
public final class ModuleList<M extends Module> extends Module {
  private final List<M> items;

  public ModuleList(List<M> items) {
    this.items = List.copyOf(items);
    for (int i = 0; i < items.size(); i++) {
      child(String.valueOf(i), items.get(i));
    }
  }

  public M get(int i) {
    return items.get(i);
  }

  public int size() {
    return items.size();
  }

  public List<M> items() {
    return items;
  }
}
