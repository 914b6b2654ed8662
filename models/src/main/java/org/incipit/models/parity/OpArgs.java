package org.incipit.models.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.incipit.autograd.Tensor;

/** The inputs (by name, in positional order) and attributes of one fixture case. */
public final class OpArgs {
  private final Map<String, Tensor> inputs;
  private final JsonObject attrs;

  OpArgs(LinkedHashMap<String, Tensor> inputs, JsonObject attrs) {
    this.inputs = inputs;
    this.attrs = attrs == null ? new JsonObject() : attrs;
  }

  /** The input called {@code name}, else the input at {@code position}. */
  public Tensor input(String name, int position) {
    Tensor t = inputs.get(name);
    if (t != null) {
      return t;
    }
    List<Tensor> all = List.copyOf(inputs.values());
    if (position < all.size()) {
      return all.get(position);
    }
    throw new IllegalArgumentException("fixture case has no input '" + name + "' (inputs: " + inputs.keySet() + ")");
  }

  /** The input called {@code name}, or null when the case has none (an optional bias or weight). */
  public Tensor optional(String name) {
    return inputs.get(name);
  }

  /** All inputs in positional order. */
  public Tensor[] all() {
    return inputs.values().toArray(new Tensor[0]);
  }

  public boolean has(String attr) {
    return attrs.has(attr) && !attrs.get(attr).isJsonNull();
  }

  public int integer(String attr, int fallback) {
    return has(attr) ? attrs.get(attr).getAsInt() : fallback;
  }

  public double real(String attr, double fallback) {
    return has(attr) ? attrs.get(attr).getAsDouble() : fallback;
  }

  public boolean bool(String attr, boolean fallback) {
    return has(attr) ? attrs.get(attr).getAsBoolean() : fallback;
  }

  public String string(String attr, String fallback) {
    return has(attr) ? attrs.get(attr).getAsString() : fallback;
  }

  /** A list attribute (a single number is a list of one; absent gives {@code fallback}). */
  public int[] ints(String attr, int[] fallback) {
    if (!has(attr)) {
      return fallback;
    }
    JsonElement e = attrs.get(attr);
    if (!e.isJsonArray()) {
      return new int[] {e.getAsInt()};
    }
    JsonArray a = e.getAsJsonArray();
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsInt();
    }
    return out;
  }

  /** A pair attribute for 2-D ops: a number n means (n, n). */
  public int[] pair(String attr, int fallback) {
    int[] v = ints(attr, new int[] {fallback});
    return v.length == 1 ? new int[] {v[0], v[0]} : v;
  }
}
