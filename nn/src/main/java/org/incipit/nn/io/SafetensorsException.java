package org.incipit.nn.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed, or tensors that cannot be stored as asked. The message
 * always names the file and says what is wrong (tensor name, field, numbers), e.g.
 * {@code "model.safetensors: tensor 'w': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20"}.
 *
 * <p>Reading never lets another exception escape for a malformed file; plain {@link IOException}s
 * still report file-system failures (a missing file, a full disk).
 */
public final class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  public SafetensorsException(String message) {
    super(message);
  }

  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
