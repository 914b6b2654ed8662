/**
 * Datasets shipped in the repository and their loaders: {@link org.incipit.models.data.Digits}
 * (8×8 handwritten digits), {@link org.incipit.models.data.Iris}, and
 * {@link org.incipit.models.data.TextCorpus} (Moby Dick, character level); seeded
 * {@link org.incipit.models.data.Split}s and {@link org.incipit.models.data.Batches}; the
 * synthetic {@link org.incipit.models.data.SequenceTasks} (delay, halves), drawn from an Rng; and,
 * for node classification, {@link org.incipit.models.data.Karate} (Zachary's karate club) and the
 * seeded {@link org.incipit.models.data.StochasticBlockModel}, as
 * {@link org.incipit.models.data.NodeData} (a graph and its labelled nodes) with a
 * {@link org.incipit.models.data.NodeSplit}.
 *
 * <p>The data are gzipped resources in {@code models/src/main/resources/data/}; their sources and
 * licences are in {@code DATA-LICENSES.md} at the repository root. Loaders read them from the
 * classpath on every call (no caches, no global state) and fail with a message naming the resource
 * when it is missing or malformed.
 *
 * <p>All randomness comes from an explicit {@link org.incipit.tensor.Rng}: the same seed and stream
 * give the same split, the same epoch order and the same text batches. Values are immutable:
 * {@link org.incipit.models.data.LabeledData} and the splits hold tensors that nothing here
 * modifies. Depends on {@code org.incipit.autograd}, {@code org.incipit.tensor} and, for graphs,
 * {@code org.incipit.nn.graph}.
 */
package org.incipit.models.data;
