package org.incipit.tests.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher ({@code ./incipit}, {@code bench/compare}) reads its JVM flags from {@code jvm.options};
 * surefire's argLine repeats them in pom.xml's {@code incipit.jvm.flags}. The tests run with what
 * users run, so the two lists must not drift apart.
 */
class JvmOptionsTest {
  @Test
  void pomRepeatsTheLauncherFlagsAndTheTestJvmRunsWithThem() throws Exception {
    List<String> launcher = JvmOptions.flags();
    assertTrue(launcher.contains("--add-modules=jdk.incubator.vector"), launcher.toString());
    String pom = Files.readString(JvmOptions.root().resolve("pom.xml"));
    String vector = property(pom, "incipit.vector.flag");
    List<String> surefire = Arrays.asList(property(pom, "incipit.jvm.flags")
        .replace("${incipit.vector.flag}", vector).strip().split("\\s+"));
    assertEquals(launcher, surefire, "jvm.options and pom.xml's incipit.jvm.flags differ");
    List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String flag : launcher) {
      assertTrue(running.contains(flag), "this test JVM runs without " + flag + ": " + running);
    }
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(pom);
    assertTrue(m.find(), "pom.xml has no property " + name);
    return m.group(1);
  }
}
