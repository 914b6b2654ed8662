package org.incipit.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.incipit.nn.InitReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.incipit.models.nets.CharGpt;
import org.incipit.nn.Module;
import org.incipit.nn.io.Safetensors;
import org.incipit.nn.io.SafetensorsFile;
import org.incipit.tensor.Rng;

/**
 * Model checkpoints: the parameters as safetensors (written atomically) and, in the file's
 * metadata, what is needed to rebuild the model ({@code incipit.model}, {@code incipit.config}
 * as JSON, and for the char-GPT {@code incipit.vocabulary}) plus provenance (init, optimizer,
 * steps, seed, validation loss).
 */
public final class Checkpoints {
  public static final String MODEL = "incipit.model";
  public static final String CONFIG = "incipit.config";
  public static final String VOCABULARY = "incipit.vocabulary";
  /** The model's {@link InitReport} taken right after construction, as JSON (see {@link #initReport}). */
  public static final String INIT_REPORT = "incipit.init_report";

  private static final Gson GSON = new Gson();
  /** NaN marks what a scheme does not promise; JSON has no NaN, so write it as Gson's lenient literal. */
  private static final Gson REPORT_GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  private Checkpoints() {}

  /** Saves a char-GPT with its config and vocabulary; {@code extra} adds provenance entries. */
  public static void saveCharGpt(Path file, CharGpt model, String vocabulary, Map<String, String> extra)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>(extra);
    meta.put(MODEL, "gpt");
    meta.put(CONFIG, GSON.toJson(model.config()));
    meta.put(VOCABULARY, vocabulary);
    save(file, model, meta);
  }

  /** Saves any module with the given metadata. */
  public static void save(Path file, Module model, Map<String, String> meta) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    Safetensors.save(file, model, meta);
  }

  /** {@code report} as the JSON stored under {@link #INIT_REPORT}. */
  public static String toJson(InitReport report) {
    return REPORT_GSON.toJson(report);
  }

  /** The init report stored in a checkpoint's metadata; an error when the checkpoint has none. */
  public static InitReport initReport(Map<String, String> metadata) throws IOException {
    String json = metadata.get(INIT_REPORT);
    if (json == null) {
      throw new IOException("the checkpoint has no " + INIT_REPORT + " metadata (written before init reports existed?)");
    }
    try {
      return REPORT_GSON.fromJson(json, InitReport.class);
    } catch (RuntimeException e) {
      throw new IOException("malformed " + INIT_REPORT + " metadata: " + e.getMessage(), e);
    }
  }

  /** A char-GPT with its vocabulary, rebuilt from a checkpoint written by {@link #saveCharGpt}. */
  public record LoadedGpt(CharGpt model, String vocabulary, Map<String, String> metadata) {}

  public static LoadedGpt loadCharGpt(Path file) throws IOException {
    SafetensorsFile f = Safetensors.read(file);
    Map<String, String> meta = f.metadata();
    if (!"gpt".equals(meta.get(MODEL)) || !meta.containsKey(CONFIG) || !meta.containsKey(VOCABULARY)) {
      throw new IOException(file + ": not a char-GPT checkpoint (metadata " + MODEL + "=" + meta.get(MODEL)
          + "; expected gpt with " + CONFIG + " and " + VOCABULARY + ")");
    }
    CharGpt.Config cfg = GSON.fromJson(meta.get(CONFIG), CharGpt.Config.class);
    CharGpt model = new CharGpt(cfg, CharGpt.Init.PYTORCH_DEFAULT, Rng.seeded(0));
    model.loadStateDict(f.tensors());
    return new LoadedGpt(model, meta.get(VOCABULARY), meta);
  }
}
