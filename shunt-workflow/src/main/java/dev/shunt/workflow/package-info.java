/**
 * The rolling-restart engine: a {@link dev.shunt.workflow.Rollout} runs
 * {@linkplain dev.shunt.Step steps} on every host of a service in turn (shunt, drain, restart,
 * readiness, unshunt), halts on the first failure, and reports what it did. Restarts run as a
 * local {@link dev.shunt.workflow.CommandStep} or over SSH with {@link dev.shunt.workflow.SshCommandStep}.
 * The drain is awaited from the health checks the host answered
 * ({@link dev.shunt.workflow.AwaitCheckersStep}, optionally until no request is in flight) or from
 * HAProxy's own view through its runtime API ({@link dev.shunt.workflow.AwaitHaproxyDrainStep},
 * {@link dev.shunt.workflow.HaproxyRuntimeApi}); {@link dev.shunt.workflow.MemcachedFlushStep}
 * empties memcached after a deploy.
 * The {@code shunt} command line is {@link dev.shunt.workflow.cli.ShuntCli}.
 */
package dev.shunt.workflow;
