# The in-VM agent of the accepted-values probe (scripts/refresh/accepted.ts), run by /init
# under busybox sh instead of the walker. It loads the curated modules as the walker does,
# so their sysctls exist, then answers the host one line at a time on the port given as $1
# (a serial port the host holds as a socket):
#
#   host:  R <TAB> path                 agent: OK <TAB> first line read | ERR <TAB> message
#   host:  W <TAB> path <TAB> text      agent: OK | ERR <TAB> message
#   host:  Q                            agent: powers off
#
# The host does every decision and all arithmetic (busybox sh has 64-bit signed numbers
# only, sysctls reach ULONG_MAX). A write uses builtins only (echo and a redirection): no
# process is started, which under TCG costs milliseconds, and most of the probe is writes.
# A read starts `head`: the shell's own `read` takes one byte per read(2), and a sysctl
# answers a read at an offset past 0 with end of file, so it would see "6" of "60".
# The agent says READY once the modules are in.

set -f # paths are data: never glob them
TAB=$(printf '\t')
exec 3<>"$1"

while IFS="$TAB" read -r module load <&4; do
  for name in $load; do
    insmod "/modules/$name.ko" </dev/null 2>/dev/null || echo "agent: $name did not load"
  done
done 4</etc/walk/modules

# Reads the first line of $1 into $value, or the error into $value and returns 1.
read_value() { # path
  if value=$(head -n 1 "$1" 2>/tmp/e); then return 0; fi
  IFS= read -r value </tmp/e
  return 1
}

reply() { # status text
  printf '%s\t%s\n' "$1" "$2" >&3
}

printf 'READY\n' >&3
while IFS="$TAB" read -r op path text <&3; do
  case "$op" in
    R) if read_value "$path"; then reply OK "$value"; else reply ERR "$value"; fi ;;
    W)
      if echo "$text" >"$path" 2>/tmp/e; then
        printf 'OK\n' >&3
      else
        IFS= read -r value </tmp/e
        reply ERR "${value:-write failed}"
      fi
      ;;
    Q) break ;;
    *) reply ERR "unknown operation $op" ;;
  esac
done
