/** A standalone health server (HTTP health checks and HAProxy agent checks) for an application in any language. */
package dev.shunt.sidecar;
