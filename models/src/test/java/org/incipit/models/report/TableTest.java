package org.incipit.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void numbersHaveFourSignificantDigitsAndIntegersPrintExactly() {
    assertEquals("2.314", Table.format(2.31415));
    assertEquals("0.3333", Table.format(1.0 / 3));
    assertEquals("1.000", Table.format(1.0));
    assertEquals("10.00", Table.format(9.9996), "rounding up crosses a decade without a fifth digit");
    assertEquals("0.001000", Table.format(0.001));
    assertEquals("9.999e-04", Table.format(0.0009999));
    assertEquals("1235", Table.format(1234.5));
    assertEquals("1.235e+04", Table.format(12345.0));
    assertEquals("-3.100e-04", Table.format(-3.1e-4));
    assertEquals("0", Table.format(0.0));
    assertEquals("0", Table.format(-0.0));
    assertEquals("NaN", Table.format(Double.NaN));
    assertEquals("inf", Table.format(Double.POSITIVE_INFINITY));
    assertEquals("-inf", Table.format(Float.NEGATIVE_INFINITY));
    assertEquals("0.5000", Table.format(0.5f));
    assertEquals("1000000", Table.format(1_000_000));
    assertEquals("123456789012", Table.format(123_456_789_012L));
    assertEquals("12345678901234567890", Table.format(new BigInteger("12345678901234567890")));
    assertEquals("xavier", Table.format("xavier"));
    assertEquals("true", Table.format(true));
  }

  @Test
  void renderAlignsColumns() {
    Table t = new Table("Final loss", List.of("init", "depth", "loss", "note"), List.of(
        List.of("xavier", 5, 0.2314, "ok"),
        List.of("standard (1/√n)", 10, 12.5, "slow"),
        List.of("he", 100, Double.NaN, "diverged")));
    List<String> lines = t.render().lines().toList();
    assertEquals(List.of(
        "Final loss",
        "init             depth    loss  note",
        "---------------  -----  ------  --------",
        "xavier               5  0.2314  ok",
        "standard (1/√n)     10   12.50  slow",
        "he                 100     NaN  diverged"), lines);
  }

  @Test
  void renderPutsEveryColumnAtTheSameOffsetOnEveryLine() {
    Table t = new Table("", List.of("a", "b", "c"), List.of(
        List.of("σ²", 1.5e-7, 3), List.of("longer text", 42.0, 123456)));
    List<String> lines = t.render().lines().toList();
    assertEquals(4, lines.size(), "no title line when the title is empty");
    int width = lines.get(1).length();
    for (String line : lines.subList(1, lines.size())) {
      assertEquals(width, line.codePointCount(0, line.length()), "numeric last column ends flush: " + line);
      assertEquals(' ', line.charAt(11), "gap after the first column: " + line);
    }
    assertTrue(lines.get(0).startsWith("a    "));
    assertTrue(lines.get(2).startsWith("σ²           1.500e-07"));
  }

  @Test
  void numericColumnsAreDetected() {
    Table t = new Table("", List.of("name", "mixed", "value"), List.of(
        List.of("a", 1, 1.0), List.of("b", "n/a", 2L)));
    assertEquals(List.of(false, false, true), List.of(t.numeric(0), t.numeric(1), t.numeric(2)));
  }

  @Test
  void badRowsAreRejectedWithTheirPosition() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Table("t", List.of("a", "b"), List.of(List.of("x", 1), List.of("y"))));
    assertTrue(e.getMessage().contains("row 1 has 1 cells for 2 columns"), e.getMessage());
    var n = assertThrows(IllegalArgumentException.class,
        () -> new Table("t", List.of("a", "b"), List.of(Arrays.asList("x", null))));
    assertTrue(n.getMessage().contains("cell (0, 1) is null"), n.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Table("t", List.of("a"), List.of(List.of(new Object()))));
  }

  @Test
  void rowsAreCopied() {
    List<Object> row = new java.util.ArrayList<>(List.of("a", 1));
    Table t = new Table("t", List.of("x", "y"), List.of(row));
    row.set(0, "changed");
    assertEquals("a", t.rows().get(0).get(0));
  }
}
