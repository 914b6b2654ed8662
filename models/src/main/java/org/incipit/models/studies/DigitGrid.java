package org.incipit.models.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.incipit.autograd.Tensor;
import org.incipit.models.data.Digits;

/** An SVG grid of 8×8 digits (pixels in [0, 1], white = 0): one row per image set, {@code cols} columns. */
final class DigitGrid {
  private static final int CELL = 4;
  private static final int GAP = 6;

  private DigitGrid() {}

  /** Rows: originals, drafts, then each tensor of {@code samples}; the first {@code cols} images of each. */
  static String svg(List<Tensor> samples, Tensor original, Tensor draft, int cols) {
    List<Tensor> rows = new ArrayList<>();
    rows.add(original);
    rows.add(draft);
    rows.addAll(samples);
    int side = Digits.SIDE * CELL;
    int n = Math.min(cols, original.size(0));
    int w = n * (side + GAP) + GAP;
    int h = rows.size() * (side + GAP) + GAP;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">", w, h, 2 * w, 2 * h));
    s.append("<title>Digits grid</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    for (int r = 0; r < rows.size(); r++) {
      double[] v = rows.get(r).toDoubles();
      for (int c = 0; c < n; c++) {
        for (int p = 0; p < Digits.PIXELS; p++) {
          int gray = (int) Math.round(255 * (1 - Math.min(1, Math.max(0, v[c * Digits.PIXELS + p]))));
          if (gray == 255) {
            continue;
          }
          int x = GAP + c * (side + GAP) + (p % Digits.SIDE) * CELL;
          int y = GAP + r * (side + GAP) + (p / Digits.SIDE) * CELL;
          s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\"/>",
              x, y, CELL, CELL, gray, gray, gray));
        }
      }
    }
    return s.append("</svg>").toString();
  }
}
