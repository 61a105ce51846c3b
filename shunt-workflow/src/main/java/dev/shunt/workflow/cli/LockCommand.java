package dev.shunt.workflow.cli;

import dev.shunt.DeployLock;
import dev.shunt.LockGrant;
import dev.shunt.internal.DeployLockRules;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shunt lock show|release}: the service's deploy lock, the one {@code roll} takes; for the
 * operator who finds it held by a rollout that crashed.
 */
@Command(name = "lock",
    description = {"Shows the service's deploy lock, or releases a stale one: the lock that roll takes so that"
        + " two rollouts of a service never run at once, and that a crashed rollout keeps until its lease ends.",
        "Each prints 'checkout: deploy lock held by 'alice@ops-1' (rollout …) until …, token 7' or"
            + " 'checkout: deploy lock free'."})
final class LockCommand extends CommandGroup {
  @Command(name = "show", description = "Shows who holds the lock, why, until when its lease runs and its token;"
      + " or that it is free.")
  int show() {
    String service = service("show");
    Optional<LockGrant> holder = cli.withOpenedStore(opened -> cli.deployLock(opened).holder(service));
    cli.out().println(StatusText.lock(service, true, holder));
    return ShuntCli.OK;
  }

  @Command(name = "release",
      description = {"Releases the lock now if OWNER holds it, instead of waiting for its lease to end: for a lock"
          + " left by a rollout that crashed. Naming the owner keeps this from taking the lock of a rollout"
          + " that got it meanwhile. A rollout still running under the lock halts at its next renewal.",
          "Prints 'checkout: released the deploy lock held by 'OWNER' (…) until …, token 7'. Exits 4 and"
              + " releases nothing when another owner holds the lock, 6 when it is free (released, or its"
              + " lease ended)."})
  int release(@Option(names = "--owner", required = true, paramLabel = "OWNER",
      description = "The owner the lock is taken from, as 'shunt lock show' or roll's exit 4 names it,"
          + " e.g. alice@ops-1.") String owner) {
    String service = service("release");
    DeployLockRules.requireOwner(owner);
    record Outcome(Optional<LockGrant> released, Optional<LockGrant> holder) {}
    Outcome outcome = cli.withOpenedStore(opened -> {
      DeployLock lock = cli.deployLock(opened);
      Optional<LockGrant> released = lock.forceRelease(service, owner);
      return new Outcome(released, released.isPresent() ? Optional.empty() : lock.holder(service));
    });
    if (outcome.released().isPresent()) {
      cli.out().println(service + ": released the deploy lock " + StatusText.held(outcome.released().get()));
      return ShuntCli.OK;
    }
    if (outcome.holder().isPresent()) {
      cli.err().println("shunt: the deploy lock of " + service + " is " + StatusText.held(outcome.holder().get())
          + ", not by '" + owner + "'; nothing was released");
      return ShuntCli.LOCK_HELD;
    }
    cli.err().println("shunt: the deploy lock of " + service + " is free (released, or its lease ended), not held"
        + " by '" + owner + "'; nothing was released");
    return ShuntCli.LOCK_FREE;
  }
}
