package org.incipit.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.incipit.autograd.Tensor;
import org.incipit.nn.Module;

/**
 * Reading and writing checkpoints in the safetensors format (huggingface/safetensors).
 *
 * <pre>
 *   [8 bytes]  N, the header length: unsigned 64-bit little-endian, N ≤ 100 000 000
 *   [N bytes]  UTF-8 JSON header {NAME: {"dtype", "shape", "data_offsets": [BEGIN, END]}, …,
 *              "__metadata__": {STRING: STRING}}; padded with spaces to a multiple of 8
 *   [rest]     the data section: each tensor's elements, little-endian, row-major, at
 *              [BEGIN, END) relative to the start of the section; the tensors tile it exactly
 * </pre>
 *
 * <p><b>Reading</b> validates the whole header before reading any data (see {@link Header} for
 * every rule) and never allocates from a length before checking it against the file's size. A
 * malformed file raises {@link SafetensorsException} naming the file and the problem; nothing else
 * escapes for a malformed file. Stored types load as described in {@link StoredDType}.
 *
 * <p><b>Writing</b> follows the reference writer's layout: tensors sorted by descending dtype
 * alignment ({@link StoredDType} order), then by name (UTF-8 byte order); {@code __metadata__}
 * first with sorted keys (omitted when empty); compact JSON; so the same input always gives the
 * same bytes, whatever the map's order.
 *
 * <p><b>Atomic replacement.</b> The file is written to a temporary sibling
 * {@code .NAME.RANDOM.tmp} (created with default permissions), forced to disk
 * ({@link FileChannel#force}), then renamed over the target with {@code ATOMIC_MOVE}; the directory
 * is then synced where the platform allows. Readers see the old file or the new one, never a mix.
 * Any failure before the rename — a value the stored type cannot hold, a full disk — deletes the
 * temporary file and leaves the previous file untouched. A file system without atomic rename fails
 * the write ({@code AtomicMoveNotSupportedException}) rather than replace non-atomically. Only a
 * crash of the JVM itself can leave a {@code .NAME.*.tmp} behind (the target is still intact).
 *
 * <pre>
 *   Safetensors.write(path, Map.of("w", w, "b", b), Map.of("format", "pt"));
 *   Map&lt;String, Tensor&gt; state = Safetensors.load(path);
 *   Safetensors.save(path, model, Map.of());      // a module's parameters
 *   Safetensors.loadInto(model, path);
 * </pre>
 */
public final class Safetensors {
  /** The format's limit on the header length N, in bytes (the reference library's). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Write order: descending stored type (alignment), then name in UTF-8 byte order. */
  private static final Comparator<SafetensorsFile.Entry> LAYOUT = Comparator
      .comparing(SafetensorsFile.Entry::stored, Comparator.reverseOrder())
      .thenComparing(SafetensorsFile.Entry::name, Header::compareUtf8);

  private Safetensors() {}

  /**
   * Reads and validates every tensor of {@code path}, in file (data offset) order, with the stored
   * type of each and the metadata.
   *
   * @throws SafetensorsException when the file is malformed or holds a type Incipit rejects
   * @throws IOException          when the file cannot be read
   */
  public static SafetensorsFile read(Path path) throws IOException {
    String source = path.toString();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new SafetensorsException(source + ": file too short to hold a header length (" + size
            + " bytes; the length alone takes 8)");
      }
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      Elements.readFully(ch, length, 0, source);
      long n = length.getLong(0);
      if (n < 0 || n > size - 8) { // n < 0: an unsigned length of 2⁶³ or more
        throw new SafetensorsException(source + ": header length " + Long.toUnsignedString(n)
            + " is larger than the file allows (" + size + " bytes, so at most " + (size - 8) + ")");
      }
      if (n > MAX_HEADER_BYTES) {
        throw new SafetensorsException(source + ": header length " + n + " exceeds the format's limit of "
            + MAX_HEADER_BYTES + " bytes");
      }
      ByteBuffer header = ByteBuffer.allocate((int) n);
      Elements.readFully(ch, header, 8, source);
      Header h = Header.parse(source, header.array(), size - 8 - n);
      List<SafetensorsFile.Entry> entries = new ArrayList<>(h.tensors().size());
      for (Header.Info t : h.tensors()) {
        Tensor tensor = Elements.decode(ch, 8 + n + t.begin(), t, source);
        entries.add(new SafetensorsFile.Entry(t.name(), t.dtype(), tensor));
      }
      return new SafetensorsFile(entries, h.metadata());
    }
  }

  /**
   * The tensors of {@code path} by name, in file order; see {@link #read} for types and errors.
   */
  public static Map<String, Tensor> load(Path path) throws IOException {
    return read(path).tensors();
  }

  /**
   * Atomically writes {@code tensors}, each stored as its own type, and {@code metadata}
   * (may be empty) to {@code path}, replacing any previous file only once the new one is complete.
   *
   * @throws IllegalArgumentException for a reserved or malformed name (before touching any file)
   * @throws IOException              when writing fails; the previous file is then unchanged
   */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    write(path, SafetensorsFile.of(tensors, metadata));
  }

  /**
   * Atomically writes {@code file}, each tensor stored as its entry's {@link StoredDType}.
   *
   * @throws SafetensorsException when a value does not fit its stored type (a finite float that
   *                              would round to infinity, an integer out of range) or the header
   *                              would exceed {@link #MAX_HEADER_BYTES}; the previous file is unchanged
   * @throws IOException          when writing fails; the previous file is then unchanged
   */
  public static void write(Path path, SafetensorsFile file) throws IOException {
    String source = path.toString();
    Path target = path.toAbsolutePath();
    List<SafetensorsFile.Entry> order = new ArrayList<>(file.entries());
    order.sort(LAYOUT);
    byte[] header = Header.encode(source, order, file.metadata());
    Path dir = target.getParent();
    Path tmp = null;
    FileChannel ch = null;
    for (int attempt = 0; ch == null; attempt++) {
      tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".tmp");
      try {
        ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 9) {
          throw e;
        }
      }
    }
    try {
      try (FileChannel out = ch) {
        Elements.writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
        Elements.writeFully(out, ByteBuffer.wrap(header));
        for (SafetensorsFile.Entry e : order) {
          Elements.encode(out, e, source);
        }
        out.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        t.addSuppressed(suppressed);
      }
      throw t;
    }
    syncDirectory(dir);
  }

  /**
   * Atomically writes the parameters of {@code module} ({@link Module#stateDict}), each stored as
   * its own type, with {@code metadata}.
   */
  public static void save(Path path, Module module, Map<String, String> metadata) throws IOException {
    write(path, module.stateDict(), metadata);
  }

  /**
   * Loads {@code path} into the parameters of {@code module} ({@link Module#loadStateDict}): each
   * value is cast to its parameter's dtype; nothing is assigned unless every name and shape fits.
   *
   * @throws IllegalArgumentException when names or shapes do not fit the module (listing them)
   */
  public static void loadInto(Module module, Path path) throws IOException {
    module.loadStateDict(load(path));
  }

  /** Makes the rename durable where directories can be synced (Linux, macOS); elsewhere a no-op. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // best effort: some platforms cannot open or sync a directory; the rename itself is done
    }
  }
}
