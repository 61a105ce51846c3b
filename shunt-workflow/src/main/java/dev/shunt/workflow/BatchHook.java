package dev.shunt.workflow;

import java.util.List;

/**
 * Code a rollout runs before or after each batch, e.g. to take a batch out of a second load
 * balancer, or to check error rates before the next batch. A hook that throws halts the rollout
 * (before a batch: the batch is not touched); the report names the hook and its error.
 */
@FunctionalInterface
public interface BatchHook {

  /**
   * Runs for {@code batch}.
   *
   * @param batch the batch about to run, or just run
   * @param hosts empty before the batch; after it, the reports of its hosts
   * @throws Exception to halt the rollout
   */
  void run(Batch batch, List<HostReport> hosts) throws Exception;
}
