package dev.shunt.workflow;

/**
 * A {@link dev.shunt.Step} that holds secrets, which a {@link Rollout} masks in everything it
 * writes ({@link Secrets}). {@link CommandStep} and {@link SshCommandStep} implement it; a step of
 * your own that holds a token should too, and mask its own exception messages with the same
 * {@link Secrets} for callers that run it outside a rollout.
 */
public interface UsesSecrets {

  /**
   * The values to mask; {@link Secrets#none()} when there is none.
   *
   * @return the secrets, never null
   */
  Secrets secrets();
}
