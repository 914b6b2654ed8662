package org.incipit.nn.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.incipit.autograd.Tensor;
import org.incipit.tensor.Shape;

/**
 * The contents of a safetensors file: its tensors, each with the type it is (or will be) stored as,
 * and the free-form {@code __metadata__} strings. Immutable.
 *
 * <p>{@link Safetensors#read} gives entries in file order (by data offset) and metadata in header
 * order; {@link Safetensors#write} keeps each entry's stored type, so a file read and written back
 * keeps its F16/U8/… encodings. An empty metadata map means no {@code __metadata__} key.
 *
 * @param entries  the tensors, names unique
 * @param metadata the {@code __metadata__} strings (keys and values non-null)
 */
public record SafetensorsFile(List<Entry> entries, Map<String, String> metadata) {
  /**
   * One tensor of the file.
   *
   * @param name   its key in the header; any string but {@code "__metadata__"}
   * @param stored its type in the file; {@link StoredDType#canStore} must accept the tensor's dtype
   * @param tensor its values, of type {@code stored.loadsAs()} after a read
   */
  public record Entry(String name, StoredDType stored, Tensor tensor) {
    public Entry {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(stored, "stored");
      Objects.requireNonNull(tensor, "tensor");
      if (name.equals(Header.METADATA_KEY)) {
        throw new IllegalArgumentException("\"__metadata__\" is reserved by the format and cannot name a tensor");
      }
      if (!Header.isWellFormed(name)) {
        throw new IllegalArgumentException("tensor name " + HeaderJson.quote(name) + " has an unpaired surrogate");
      }
      if (!stored.canStore(tensor.dtype())) {
        throw new IllegalArgumentException("tensor '" + name + "' is " + tensor.dtype() + " and cannot be stored as "
            + stored + " (F16/BF16/F32/F64 take F32 or F64 tensors, integer types take I32 or I64, BOOL takes BOOL)");
      }
    }

    /** An entry stored as the tensor's own type ({@link StoredDType#defaultFor}). */
    public static Entry of(String name, Tensor tensor) {
      return new Entry(name, StoredDType.defaultFor(Objects.requireNonNull(tensor, "tensor").dtype()), tensor);
    }

    public Shape shape() {
      return tensor.shape();
    }
  }

  public SafetensorsFile {
    entries = List.copyOf(entries);
    Set<String> names = new HashSet<>();
    for (Entry e : entries) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("duplicate tensor name '" + e.name() + "'");
      }
    }
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> m : metadata.entrySet()) {
      String key = Objects.requireNonNull(m.getKey(), "metadata key");
      String value = Objects.requireNonNull(m.getValue(), () -> "metadata value of " + key);
      if (!Header.isWellFormed(key) || !Header.isWellFormed(value)) {
        throw new IllegalArgumentException("metadata entry " + HeaderJson.quote(key) + " has an unpaired surrogate");
      }
      copy.put(key, value);
    }
    metadata = Collections.unmodifiableMap(copy);
  }

  /** Tensors stored as their own types ({@link Entry#of}), in the map's order. */
  public static SafetensorsFile of(Map<String, Tensor> tensors, Map<String, String> metadata) {
    List<Entry> entries = new ArrayList<>();
    tensors.forEach((name, tensor) -> entries.add(Entry.of(name, tensor)));
    return new SafetensorsFile(entries, metadata);
  }

  /** The tensors by name, in entry order (a new, modifiable map). */
  public LinkedHashMap<String, Tensor> tensors() {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      out.put(e.name(), e.tensor());
    }
    return out;
  }
}
