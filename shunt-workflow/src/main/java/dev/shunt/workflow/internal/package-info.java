/** Implementation details of the workflow engine. Not API. */
package dev.shunt.workflow.internal;
