/**
 * The user test kit: hold an initializer, an op or a layer of your own to the standard the
 * project's schemes meet. Add {@code org.incipit:incipit-tests} as one test-scoped dependency; it
 * brings the engine, QuickTheories and, transitively from {@code incipit-autograd}, {@link
 * org.incipit.autograd.GradCheck}.
 * <ul>
 *   <li>{@link org.incipit.testkit.Gens}: QuickTheories generators with explicit edge cases: ints and
 *       seeds, shapes of rank 0–4, broadcast pairs, tensors with values inside an op's domain and away
 *       from its kinks.</li>
 *   <li>{@link org.incipit.testkit.SampleCheck} and {@link org.incipit.testkit.Cdf}: mean, variance,
 *       bounds, Kolmogorov–Smirnov and orthogonality of a sample, each with a stated false-alarm
 *       probability.</li>
 *   <li>{@link org.incipit.testkit.GradProperty}: {@code GradCheck} over a generator of inputs,
 *       element by element while that is cheap, by random directions beyond.</li>
 * </ul>
 * Run a property inside a JUnit 5 test with a pinned seed:
 * {@code qt().withFixedSeed(7).withExamples(20).forAll(gens…).checkAssert(…)}; a failure reports
 * the seed and the shrunk example. README.md, "Testing your own initializer", has a complete example.
 */
package org.incipit.testkit;
