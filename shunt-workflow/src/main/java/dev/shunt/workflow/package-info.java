/**
 * The rolling-restart engine: a {@link dev.shunt.workflow.Rollout} runs
 * {@linkplain dev.shunt.Step steps} on every host of a service in turn (shunt, drain, restart,
 * readiness, unshunt), halts on the first failure, and reports what it did. Restarts run as a
 * local {@link dev.shunt.workflow.CommandStep} or over SSH with {@link dev.shunt.workflow.SshCommandStep}.
 * The {@code shunt} command line is {@link dev.shunt.workflow.cli.ShuntCli}.
 */
package dev.shunt.workflow;
