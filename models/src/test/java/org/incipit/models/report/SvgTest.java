package org.incipit.models.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SvgTest {
  @Test
  void inlineableDropsTheProlog() {
    String doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n"
        + "<svg width=\"10px\" height=\"5px\" viewBox=\"0 0 10 5\"><rect/></svg>\n";
    assertEquals("<svg width=\"10px\" height=\"5px\" viewBox=\"0 0 10 5\"><rect/></svg>", Svg.inlineable(doc));
  }

  @Test
  void inlineableAddsAViewBoxFromWidthAndHeight() {
    assertEquals("<svg viewBox=\"0 0 300 150.5\" width=\"300px\" height=\"150.5\"><g/></svg>",
        Svg.inlineable("<svg width=\"300px\" height=\"150.5\"><g/></svg>"));
    assertEquals("<svg width=\"100%\"><g/></svg>", Svg.inlineable("<svg width=\"100%\"><g/></svg>"),
        "no numeric size, nothing to scale from");
    assertThrows(IllegalArgumentException.class, () -> Svg.inlineable("<html></html>"));
    assertThrows(IllegalArgumentException.class, () -> new Figure("f", "not svg"));
  }

  @Test
  void idsAreRenumberedThenPrefixedWithTheirReferences() {
    String svg = "<svg><defs><clipPath id=\"clip8851\"><rect/></clipPath><path id=\"p77\"/></defs>"
        + "<g clip-path=\"url(#clip8851)\"><use xlink:href=\"#p77\"/></g></svg>";
    String renumbered = Svg.renumberIds(svg);
    assertEquals("<svg><defs><clipPath id=\"id1\"><rect/></clipPath><path id=\"id2\"/></defs>"
        + "<g clip-path=\"url(#id1)\"><use xlink:href=\"#id2\"/></g></svg>", renumbered);
    assertEquals("<svg><defs><clipPath id=\"f3-id1\"><rect/></clipPath><path id=\"f3-id2\"/></defs>"
        + "<g clip-path=\"url(#f3-id1)\"><use xlink:href=\"#f3-id2\"/></g></svg>",
        Svg.prefixIds(renumbered, "f3-"));
  }

  @Test
  void numbersAreRoundedToTwoDecimals() {
    assertEquals("<path d=\"M1.5,-0.13 L10,2 L0,0\" version=\"1.1\"/>",
        Svg.roundNumbers("<path d=\"M1.500,-0.125001 L9.999,2.0 L-0.001,0\" version=\"1.1\"/>"));
  }

  @Test
  void continuingLinesBecomeOnePath() {
    String s = "<g>\n"
        + "  <line style=\"A\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"1\"/>\n"
        + "  <line style=\"A\" x1=\"1\" x2=\"2\" y1=\"1\" y2=\"0\"/>\n"
        + "  <line style=\"A\" x1=\"5\" x2=\"6\" y1=\"5\" y2=\"6\"/>\n"
        + "  <line style=\"B\" x1=\"6\" x2=\"7\" y1=\"6\" y2=\"7\"/>\n"
        + "</g>\n";
    assertEquals("<g>\n"
        + "  <path style=\"A\" d=\"M0,0 L1,1 L2,0\"/>\n"
        + "  <path style=\"A\" d=\"M5,5 L6,6\"/>\n"
        + "  <path style=\"B\" d=\"M6,6 L7,7\"/>\n"
        + "</g>\n", Svg.joinLines(s));
  }

  @Test
  void labelAddsTitleAndDescription() {
    assertEquals("<svg role=\"img\" width=\"1\">\n  <title>a &lt; b</title>\n  <desc>x &amp; y</desc><g/></svg>",
        Svg.label("<svg width=\"1\"><g/></svg>", "a < b", "x & y"));
  }
}
