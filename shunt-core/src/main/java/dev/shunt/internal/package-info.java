/** Implementation of the stores behind {@link dev.shunt.StatusStore}'s factories. Not API. */
package dev.shunt.internal;
