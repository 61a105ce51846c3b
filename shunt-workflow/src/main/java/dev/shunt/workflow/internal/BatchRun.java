package dev.shunt.workflow.internal;

import dev.shunt.workflow.Batch;
import dev.shunt.workflow.HostReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * A batch handed to the workers: its hosts' runs, and the two moments the batch after it may
 * wait for when batches overlap — every host released (it started its rotation wait, or ended),
 * and the batch over (its reports in, its hook run, the rollout's decision to go on made).
 * Thread-safe.
 */
final class BatchRun {
  private final Batch batch;
  private final List<Future<HostReport>> hosts = new ArrayList<>();
  private final CountDownLatch released;
  private final CountDownLatch over = new CountDownLatch(1);
  private volatile boolean troubled;

  BatchRun(Batch batch) {
    this.batch = batch;
    this.released = new CountDownLatch(batch.hosts().size());
  }

  Batch batch() {
    return batch;
  }

  /** Adds a host's run; only the coordinator calls it, before it reads {@link #hosts()}. */
  void add(Future<HostReport> host) {
    hosts.add(host);
  }

  List<Future<HostReport>> hosts() {
    return hosts;
  }

  /**
   * A host of the batch needs the batch no more before the next one may shunt: it started its
   * rotation wait ({@code fine}), or it ended, fine if it was done. Called once per host.
   */
  void release(boolean fine) {
    if (!fine) {
      troubled = true;
    }
    released.countDown();
  }

  /**
   * Waits until every host is released.
   *
   * @return whether each one was released fine: only then may the next batch start early
   */
  boolean awaitReleased() {
    awaitUninterruptibly(released);
    return !troubled;
  }

  /** The batch is over: the hosts of the next one may go past their drain. */
  void end() {
    over.countDown();
  }

  boolean isOver() {
    return over.getCount() == 0;
  }

  /** Waits until the batch is over. */
  void awaitOver() throws InterruptedException {
    over.await();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
