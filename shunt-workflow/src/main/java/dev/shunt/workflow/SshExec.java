package dev.shunt.workflow;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.shunt.ShuntTimeoutException;
import dev.shunt.StepContext;
import dev.shunt.workflow.SshException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command line over a connected session, as an {@link SshCommandStep} does: the secret
 * variables read from stdin and exported before the line, every output line logged (masked), and
 * the exit status turned into the step's outcome or an {@link SshException}. Past
 * {@code commandTimeout}, or when the thread is interrupted, it asks the server to kill the
 * command and closes the channel. After the exit status came, it waits at most a second for the
 * rest of the output. Immutable and thread-safe; the session stays the caller's to disconnect.
 */
final class SshExec {
  private static final long OUTPUT_GRACE_MILLIS = 1000;
  private static final long POLL_MILLIS = 10;

  private final Duration openTimeout;
  private final Duration commandTimeout;
  private final Map<String, String> secretEnv;
  private final Secrets secrets;

  /**
   * @param openTimeout how long opening the command's channel may take
   * @param secretEnv the variables to export to the command, by name, in order
   * @param secrets what to mask in the output
   */
  SshExec(Duration openTimeout, Duration commandTimeout, Map<String, String> secretEnv, Secrets secrets) {
    this.openTimeout = openTimeout;
    this.commandTimeout = commandTimeout;
    this.secretEnv = secretEnv;
    this.secrets = secrets;
  }

  /**
   * Runs {@code line} on {@code session} and reports its outcome to {@code context}.
   *
   * @throws SshException when it cannot start, the connection is lost, or it exits non-zero or
   *     without a status (the message holds the last lines of stderr)
   * @throws ShuntTimeoutException when it runs past {@code commandTimeout}
   * @throws InterruptedException when interrupted while the command runs
   */
  void run(Session session, String line, HostAndPort address, StepContext context) throws InterruptedException {
    ChannelExec channel;
    OutputPump output;
    try {
      channel = (ChannelExec) session.openChannel("exec");
      if (channel == null) {
        throw new JSchException("the session could not open a channel");
      }
      channel.setCommand(remoteLine(line));
      channel.setInputStream(new ByteArrayInputStream(secretInput()));
      InputStream stdout = channel.getInputStream();
      InputStream stderr = channel.getErrStream();
      channel.connect(SshConnector.millis(openTimeout));
      output = new OutputPump(stdout, stderr, context, "shunt-ssh-output-" + context.host(), secrets);
    } catch (JSchException | IOException e) {
      if (!session.isConnected()) {
        // The exec request may have reached the server before the connection dropped.
        throw new SshException(Kind.CONNECTION_LOST, "lost the connection to " + address + " while starting '" + line
            + "'; it may have run", e);
      }
      throw new SshException(Kind.OTHER, "cannot start '" + line + "' on " + address + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + commandTimeout.toNanos();
    long outputDeadline = 0;
    try {
      while (!channel.isClosed()) {
        long now = System.nanoTime();
        if (channel.getExitStatus() != -1) {
          if (outputDeadline == 0) {
            outputDeadline = now + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS);
          } else if (now - outputDeadline >= 0) {
            break;
          }
        }
        if (now - deadline >= 0) {
          stop(channel, output);
          throw new ShuntTimeoutException("'" + line + "' on " + address + " did not finish within " + commandTimeout
              + "; killed it and closed the connection", commandTimeout);
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      stop(channel, output);
      throw e;
    }
    if (outputDeadline == 0) {
      outputDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OUTPUT_GRACE_MILLIS);
    }
    output.awaitEnd(outputDeadline);
    output.close();
    int exit = channel.getExitStatus();
    channel.disconnect();
    if (exit == -1 && !session.isConnected()) {
      throw new SshException(Kind.CONNECTION_LOST,
          "lost the connection to " + address + " while '" + line + "' ran; it may have run in part" + output.lastErrors());
    }
    if (exit == -1) {
      String signal = channel.getExitSignal();
      throw new SshException(Kind.COMMAND_FAILED, "'" + line + "' on " + address + " ended without an exit status"
          + (signal == null ? "" : " (killed by signal " + signal + ")") + output.lastErrors());
    }
    if (exit != 0) {
      throw new SshException(Kind.COMMAND_FAILED,
          "'" + line + "' on " + address + " exited with status " + exit + output.lastErrors());
    }
    context.outcome("exit status 0");
  }

  /** What goes to the command's stdin: each secret value on a line, read by the prefix of {@link #remoteLine}. */
  private byte[] secretInput() {
    StringBuilder input = new StringBuilder();
    secretEnv.values().forEach(value -> input.append(value).append('\n'));
    return input.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The line the host runs: the secrets read from stdin and exported, then {@code line}. */
  private String remoteLine(String line) {
    StringBuilder remote = new StringBuilder();
    secretEnv.keySet().forEach(name -> remote.append("IFS= read -r ").append(name).append("; export ").append(name)
        .append("; "));
    return remote.append(line).toString();
  }

  /** Asks the server to kill the command, then closes the channel: best effort, the session goes next. */
  private static void stop(ChannelExec channel, OutputPump output) {
    output.close();
    try {
      channel.sendSignal("KILL");
    } catch (Exception e) {
      // The server may not take signals, or the channel is gone already: closing it is what counts.
    }
    channel.disconnect();
  }
}
