package dev.shunt.workflow.internal;

import dev.shunt.internal.Json;

/** Writes JSON into a string, one token after another; commas are placed by itself. Not thread-safe. */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder(256);

  public JsonWriter beginObject() {
    separate();
    out.append('{');
    return this;
  }

  public JsonWriter endObject() {
    out.append('}');
    return this;
  }

  public JsonWriter beginArray() {
    separate();
    out.append('[');
    return this;
  }

  public JsonWriter endArray() {
    out.append(']');
    return this;
  }

  /** Writes the name of the next member of an object. */
  public JsonWriter name(String name) {
    separate();
    out.append(Json.quote(name)).append(':');
    return this;
  }

  /** A string, or null. */
  public JsonWriter value(String value) {
    separate();
    out.append(value == null ? "null" : Json.quote(value));
    return this;
  }

  public JsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  /** A finite number: shortest form that reads back as the same double, without a fraction when integral. */
  public JsonWriter value(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    separate();
    out.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : Double.toString(value));
    return this;
  }

  public JsonWriter value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  /** A member with a string value, or null. */
  public JsonWriter member(String name, String value) {
    return name(name).value(value);
  }

  public JsonWriter member(String name, long value) {
    return name(name).value(value);
  }

  public JsonWriter member(String name, double value) {
    return name(name).value(value);
  }

  public JsonWriter member(String name, boolean value) {
    return name(name).value(value);
  }

  private void separate() {
    if (out.isEmpty()) {
      return;
    }
    char last = out.charAt(out.length() - 1);
    if (last != '{' && last != '[' && last != ':') {
      out.append(',');
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
