/**
 * The LoRA family's initializations as pure math over double matrices: PEFT's
 * {@code init_lora_weights} ({@link org.incipit.init.lora.PeftInits}), LoRA-XS and LoRA-SB
 * ({@link org.incipit.init.lora.LoraXsInits}), EVA ({@link org.incipit.init.lora.Eva},
 * {@link org.incipit.init.lora.IncrementalPca}) and LoRA-FAIR's server step
 * ({@link org.incipit.init.lora.LoraFair}), on a small double-precision SVD/QR
 * ({@link org.incipit.init.linalg.Dense}). Applying them to adapters is {@code nn/adapters}'s job.
 *
 * <p>Depends on {@code org.incipit.init.linalg}, {@code org.incipit.autograd} and {@code
 * org.incipit.tensor.Rng}.
 * Every method returns fresh arrays and leaves its arguments unmodified.
 */
package org.incipit.init.lora;
