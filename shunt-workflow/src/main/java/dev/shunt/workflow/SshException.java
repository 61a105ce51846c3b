package dev.shunt.workflow;

import dev.shunt.StepFailedException;

/**
 * An {@link SshCommandStep} failed on a host: could not connect, did not trust the host's key,
 * could not log in, or the command failed. {@link #kind()} says which, and its kind decides
 * {@link #retryable()}: true only for a refused connection, a connect timeout and a network failure
 * before the command started; never for host keys, credentials or a failed command. A command that ran past its time limit is not one of these: it
 * ends the step with a {@link dev.shunt.ShuntTimeoutException}.
 *
 * <p>The message names the host and never holds a password or passphrase. Immutable.
 */
public final class SshException extends StepFailedException {
  private static final long serialVersionUID = 1L;

  /** What went wrong; each kind says whether a retry can help. */
  public enum Kind {
    /** Nothing listens on the port (the SSH server is down or restarting). Retryable. */
    CONNECTION_REFUSED(true),
    /** The TCP connection or the SSH handshake did not finish within the connect timeout. Retryable. */
    CONNECT_TIMEOUT(true),
    /**
     * The network failed before the command started: connection reset, no route to host, the
     * server hung up during the handshake. Retryable.
     */
    NETWORK(true),
    /** The host name does not resolve. Not retryable: a misspelled host does not heal. */
    UNKNOWN_HOST(false),
    /** known_hosts has no key for the host (or there is no such file). Never retried, never accepted. */
    HOST_KEY_UNKNOWN(false),
    /** The host offered a key other than the one known_hosts holds for it. Never retried, never accepted. */
    HOST_KEY_CHANGED(false),
    /** The host's key is marked revoked, or its host certificate is invalid. Never retried. */
    HOST_KEY_REJECTED(false),
    /** The server refused the credentials, or the private key or agent could not be used. Never retried. */
    AUTH_FAILED(false),
    /**
     * The connection dropped while the command ran. Not retryable: the command may have run in
     * part, and a retry would run it again.
     */
    CONNECTION_LOST(false),
    /** The command exited with a non-zero status, or without a status. Not retryable. */
    COMMAND_FAILED(false),
    /**
     * Any other SSH failure: no algorithm in common, a channel the server refused, a host that is
     * not a valid address. Not retryable.
     */
    OTHER(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /**
     * Whether trying again later can succeed without anyone changing anything.
     *
     * @return true when a retry can help
     */
    public boolean retryable() {
      return retryable;
    }
  }

  /** What went wrong. */
  private final Kind kind;

  /**
   * An SSH failure of {@code kind}, retryable as the kind says.
   *
   * @param kind what went wrong
   * @param message what failed, naming the host
   */
  public SshException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * An SSH failure of {@code kind} caused by {@code cause}, retryable as the kind says.
   *
   * @param kind what went wrong
   * @param message what failed, naming the host
   * @param cause what caused it, or null
   */
  public SshException(Kind kind, String message, Throwable cause) {
    super(message, cause, kind.retryable());
    this.kind = kind;
  }

  /**
   * What went wrong.
   *
   * @return the kind, never null
   */
  public Kind kind() {
    return kind;
  }
}
