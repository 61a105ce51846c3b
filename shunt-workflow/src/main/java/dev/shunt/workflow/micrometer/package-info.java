/**
 * Micrometer meters for rollouts: {@link dev.shunt.workflow.micrometer.RolloutMetrics}, a
 * {@link dev.shunt.workflow.RolloutListener}.
 *
 * <p>Micrometer ({@code io.micrometer:micrometer-core}) is an optional dependency of
 * {@code shunt-workflow}: the application brings it, and nothing outside this package uses it, so
 * the engine runs without it.
 */
package dev.shunt.workflow.micrometer;
