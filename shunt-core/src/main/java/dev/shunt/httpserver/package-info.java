/** The adapter for the JDK's built-in {@code com.sun.net.httpserver.HttpServer}. */
package dev.shunt.httpserver;
