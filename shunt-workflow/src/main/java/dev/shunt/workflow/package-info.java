/**
 * The rolling-restart engine. A {@link dev.shunt.workflow.Rollout} runs
 * {@linkplain dev.shunt.Step steps} (shunt, drain, restart, readiness, unshunt) on every host of a
 * service, in batches on a worker pool, within the store's disruption budget, with per-step time
 * limits and {@linkplain dev.shunt.workflow.RetryPolicy retries}, a failure policy, a journal to
 * resume from and an optional deploy lock. Before anything is touched, a pre-flight lets every step
 * that implements {@link dev.shunt.workflow.PreflightCheck} check every host, and refuses to start
 * on an error ({@link dev.shunt.workflow.PreflightFailedException});
 * {@link dev.shunt.workflow.Rollout#plan()} shows what it would do, the pre-flight's findings and
 * warnings about settings that cannot work, {@link dev.shunt.workflow.RolloutRun} stops
 * it safely, and a {@link dev.shunt.workflow.RolloutReport} says what it did (also as JSON).
 * Restarts run as a local {@link dev.shunt.workflow.CommandStep} or over SSH with
 * {@link dev.shunt.workflow.SshCommandStep}. The drain is awaited from the health checks the host
 * answered ({@link dev.shunt.workflow.AwaitCheckersStep}, by default also until no request is
 * in flight where the responder counts them: {@link dev.shunt.workflow.InFlightWait}) or from HAProxy's own view through its runtime API
 * ({@link dev.shunt.workflow.AwaitHaproxyDrainStep}, {@link dev.shunt.workflow.HaproxyRuntimeApi});
 * {@link dev.shunt.workflow.MemcachedFlushStep} empties memcached after a deploy. Secrets handed to
 * commands ({@link dev.shunt.workflow.Secrets}, {@link dev.shunt.workflow.UsesSecrets}) and URL
 * passwords are masked in everything a rollout writes. The {@code shunt}
 * command line is {@link dev.shunt.workflow.cli.ShuntCli}.
 */
package dev.shunt.workflow;
