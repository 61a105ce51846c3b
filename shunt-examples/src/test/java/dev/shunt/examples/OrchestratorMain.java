package dev.shunt.examples;

import dev.shunt.DeployLock;
import dev.shunt.LockHeldException;
import dev.shunt.ShuntRequest;
import dev.shunt.workflow.Rollout;
import dev.shunt.workflow.RolloutListener;
import dev.shunt.workflow.RolloutReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deploy tool in a process of its own, for the fault drills: rolls a {@link DemoFleet} that
 * another process started, knowing only its directory and its hosts
 * ({@link DemoFleet#rollout(Path, List, boolean, ShuntRequest)}, behind HAProxy), holding the
 * service's deploy lock in the fleet's flag directory ({@link DeployLock#flagFiles}) and resuming
 * from the journal, as a deploy pipeline would run it.
 *
 * <pre>
 * java -cp CLASSPATH dev.shunt.examples.OrchestratorMain FLEET_DIRECTORY HOST[,HOST...] ROLLOUT_ID
 *     [--shunt-ttl PT4S] [--lock-lease PT4S] [--no-lock] [--resume]
 * </pre>
 *
 * <p>Each shunt is owned by the rollout id, so a test can tell whose shunts it sees. Defaults:
 * shunts of 1 minute, a lock lease of 1 minute, the lock on, no resume. Prints the rollout's
 * progress and summary; a SIGTERM cancels it cleanly ({@code cancelOnShutdown}), a SIGKILL does
 * not, which is what the drills are about. Exit status: 0 the rollout completed, 1 it did not,
 * 2 a usage error, 3 another rollout holds the deploy lock (nothing was done; standard error names
 * the holder).
 */
public final class OrchestratorMain {
  static final int COMPLETED = 0;
  static final int NOT_COMPLETED = 1;
  static final int USAGE = 2;
  static final int LOCK_HELD = 3;

  private OrchestratorMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  private static int run(String[] args) {
    List<String> positional = new ArrayList<>();
    Duration shuntTtl = Duration.ofMinutes(1);
    Duration lockLease = Duration.ofMinutes(1);
    boolean lock = true;
    boolean resume = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--shunt-ttl" -> shuntTtl = Duration.parse(args[++i]);
          case "--lock-lease" -> lockLease = Duration.parse(args[++i]);
          case "--no-lock" -> lock = false;
          case "--resume" -> resume = true;
          default -> positional.add(args[i]);
        }
      }
      if (positional.size() != 3) {
        throw new IllegalArgumentException("expected FLEET_DIRECTORY HOST[,HOST...] ROLLOUT_ID, was " + positional);
      }
    } catch (RuntimeException e) {
      System.err.println("orchestrator: " + e.getMessage());
      System.err.println("usage: OrchestratorMain FLEET_DIRECTORY HOST[,HOST...] ROLLOUT_ID"
          + " [--shunt-ttl PT4S] [--lock-lease PT4S] [--no-lock] [--resume]");
      return USAGE;
    }
    Path fleet = Path.of(positional.get(0));
    String rolloutId = positional.get(2);
    Rollout.Builder rollout = DemoFleet.rollout(fleet, Arrays.asList(positional.get(1).split(",")), true,
            ShuntRequest.of("fault drill", rolloutId).withTtl(shuntTtl))
        .listener(RolloutListener.console(System.out))
        .rolloutId(rolloutId)
        .resume(resume);
    if (lock) {
      rollout.deployLock(DeployLock.flagFiles(DemoFleet.flagDirectory(fleet))).lockLease(lockLease);
    }
    try {
      RolloutReport report = rollout.build().start().cancelOnShutdown(Duration.ofSeconds(30)).await();
      return report.succeeded() ? COMPLETED : NOT_COMPLETED;
    } catch (LockHeldException e) {
      System.err.println("orchestrator: " + e.getMessage());
      return LOCK_HELD;
    }
  }
}
