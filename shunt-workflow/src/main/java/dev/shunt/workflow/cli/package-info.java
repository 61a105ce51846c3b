/**
 * The {@code shunt} command line ({@link dev.shunt.workflow.cli.ShuntCli}): status, shunt,
 * unshunt, budget, wait-for-http, maintenance and roll, on a store named by a spec. Everything but
 * {@code ShuntCli} is implementation.
 */
package dev.shunt.workflow.cli;
