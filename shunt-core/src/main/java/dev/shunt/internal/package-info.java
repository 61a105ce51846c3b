/**
 * Implementation of the stores behind {@link dev.shunt.StatusStore}'s factories, and the parts a
 * {@link dev.shunt.HealthResponder} is composed of (its path, its answers, its checkers' tallies,
 * its NACK shutdown). Not API.
 */
package dev.shunt.internal;
