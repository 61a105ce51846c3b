#!/bin/sh
# Controls one demo backend the way an init script controls a service:
#   backendctl.sh start|stop|restart ADDRESS:PORT
# Written by DemoFleet with the java command, class path and directories filled in.
set -eu
JAVA='@JAVA@'
CLASSPATH='@CLASSPATH@'
FLAGS='@FLAGS@'
RUN='@RUN@'
OPTIONS='@OPTIONS@'

action=${1:?usage: backendctl.sh start|stop|restart ADDRESS:PORT}
host=${2:?usage: backendctl.sh start|stop|restart ADDRESS:PORT}
pidfile="$RUN/$host.pid"

alive() {
  # A process that exited but was not reaped yet (state Z) counts as gone.
  [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

stop() {
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  tries=0
  while alive "$pid"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ]; then
      echo "$host: pid $pid ignored SIGTERM for 15 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.05
  done
  rm -f "$pidfile"
  echo "$host: stopped pid $pid"
}

start() {
  # The version to run: what a deploy wrote to $RUN/ADDRESS:PORT.version, else 1 (DemoFleet.deployStep);
  # and extra DemoBackend options a test wrote into $RUN/version (DemoFleet.deploy).
  version=1
  [ -f "$RUN/$host.version" ] && version=$(cat "$RUN/$host.version")
  extra=""
  [ -f "$RUN/version" ] && extra=$(cat "$RUN/version")
  nohup "$JAVA" -Dsun.net.httpserver.nodelay=true -XX:TieredStopAtLevel=1 -Xshare:auto \
    -cp "$CLASSPATH" dev.shunt.examples.DemoBackend "$host" "$FLAGS" --version="$version" $OPTIONS $extra \
    >> "$RUN/$host.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  echo "$host: started pid $!"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "unknown action '$action': use start, stop or restart" >&2; exit 2 ;;
esac
