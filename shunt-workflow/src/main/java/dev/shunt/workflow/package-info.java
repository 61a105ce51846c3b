/**
 * The rolling-restart engine: a {@link dev.shunt.workflow.Rollout} runs
 * {@linkplain dev.shunt.Step steps} on every host of a service in turn (shunt, drain, restart,
 * readiness, unshunt), halts on the first failure, and reports what it did.
 */
package dev.shunt.workflow;
