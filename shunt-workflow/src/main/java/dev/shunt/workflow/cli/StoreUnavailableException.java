package dev.shunt.workflow.cli;

import dev.shunt.ShuntException;

/** The store a command needs could not be opened, read or written: exit code 3. */
final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String spec;

  StoreUnavailableException(String spec, ShuntException cause) {
    super(cause.getMessage(), cause);
    this.spec = spec;
  }

  /** The spec of the store. */
  String spec() {
    return spec;
  }
}
