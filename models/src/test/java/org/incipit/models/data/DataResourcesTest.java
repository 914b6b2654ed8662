package org.incipit.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Missing and malformed resources fail with a message that names the resource and the problem. */
class DataResourcesTest {
  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  static String message(Runnable r) {
    return assertThrows(RuntimeException.class, r::run).getMessage();
  }

  @Test
  void aMissingResourceIsNamed() {
    String m = message(() -> DataResources.gunzip("no-such-file.csv.gz"));
    assertTrue(m.contains("/data/no-such-file.csv.gz") && m.contains("not on the classpath"), m);
  }

  @Test
  void theShippedResourcesAreThere() {
    for (String name : new String[] {Digits.RESOURCE, Iris.RESOURCE, TextCorpus.MOBY_DICK}) {
      assertTrue(DataResources.gunzip(name).length > 1000, name);
    }
  }

  @Test
  void notGzipAndTruncatedGzipAreReported() throws IOException {
    byte[] plain = "0,1,2\n".getBytes(StandardCharsets.US_ASCII);
    String m = message(() -> DataResources.gunzip("x.csv.gz", new ByteArrayInputStream(plain)));
    assertTrue(m.contains("x.csv.gz") && m.contains("not a valid gzip"), m);

    byte[] whole = gzip("a much longer line of text, repeated. ".repeat(50).getBytes(StandardCharsets.US_ASCII));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    m = message(() -> DataResources.gunzip("y.txt.gz", new ByteArrayInputStream(cut)));
    assertTrue(m.contains("y.txt.gz") && m.contains("truncated"), m);
  }

  @Test
  void invalidUtf8IsReported() {
    byte[] bad = {'a', (byte) 0xC3, '(', 'b'};
    String m = message(() -> DataResources.utf8("z.txt.gz", bad));
    assertTrue(m.contains("z.txt.gz") && m.contains("not valid UTF-8"), m);
  }

  @Test
  void malformedDigitRowsNameTheLineAndColumn() {
    String good = "0,".repeat(64) + "3\n";
    assertEquals(1, Digits.parse("d", good).size());
    String m = message(() -> Digits.parse("d", good + "1,2,3\n"));
    assertTrue(m.contains("line 2") && m.contains("3 columns, expected 65"), m);
    m = message(() -> Digits.parse("d", good + "0,".repeat(10) + "17," + "0,".repeat(53) + "1\n"));
    assertTrue(m.contains("line 2") && m.contains("column 11") && m.contains("'17'"), m);
    m = message(() -> Digits.parse("d", "0,".repeat(64) + "x\n"));
    assertTrue(m.contains("line 1") && m.contains("column 65"), m);
    m = message(() -> Digits.parse("d", "\n\n"));
    assertTrue(m.contains("no data rows"), m);
  }

  @Test
  void malformedIrisFilesAreReported() {
    String header = "2,4,setosa,versicolor,virginica\n";
    assertEquals(2, Iris.parse("i", header + "1,2,3,4,0\n5,6,7,8,2\n").size());
    String m = message(() -> Iris.parse("i", "2,4,a,b,c\n1,2,3,4,0\n5,6,7,8,2\n"));
    assertTrue(m.contains("line 1") && m.contains("header"), m);
    m = message(() -> Iris.parse("i", header + "1,2,3,4,0\n"));
    assertTrue(m.contains("1 rows but its header says 2"), m);
    m = message(() -> Iris.parse("i", header + "1,2,3,4,0\n5,NaN,7,8,2\n"));
    assertTrue(m.contains("line 3") && m.contains("column 2"), m);
    m = message(() -> Iris.parse("i", header + "1,2,3,4,0\n5,6,7,8,3\n"));
    assertTrue(m.contains("line 3") && m.contains("column 5"), m);
  }
}
