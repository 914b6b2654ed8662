/**
 * Checkpoints in the safetensors format: {@link org.incipit.nn.io.Safetensors} reads (with full
 * validation) and atomically writes files; {@link org.incipit.nn.io.SafetensorsFile} holds the
 * tensors with the {@link org.incipit.nn.io.StoredDType} each is stored as, so F16, BF16, U8 and
 * other encodings survive a read-write round trip; every malformed input raises
 * {@link org.incipit.nn.io.SafetensorsException} naming the file and the problem.
 *
 * <p>Depends on {@code org.incipit.nn} ({@code Module}), autograd and tensor; no third-party
 * libraries (the header JSON reader is our own, strict one). Everything here is immutable or
 * static; tensors read are new CPU tensors.
 */
package org.incipit.nn.io;
