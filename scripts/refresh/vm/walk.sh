# The in-VM walker, run by /init under busybox sh. Walks /proc/sys (every file) and /sys
# (owner-writable attributes and module parameters' files, the scraper's hazards left
# out), then loads the curated modules and reads what they add. WALK=full (walk.conf) loads
# them one by one, crediting each one's files, then tests which sysctls are per namespace;
# WALK=values, the walk of every other boot of the kernel, loads them together and tests
# no namespaces.
# It writes records, one per line, to the file given as $1 (the second serial port), for
# scripts/refresh/records.ts:
#
#   BEGIN  <release> <arch> <online CPU list> <possible CPU list> <MemTotal line> <uptime>
#   M      <base64 of the marker>
#   P      <mode octal> <path> [<module>]                files in read order (1-based index);
#                                                       with a module: it appeared when that loaded,
#                                                       with +: when every module loaded (values walk)
#   R      <pass> <first> <count> <exit status> <base64 stdout> <base64 stderr>
#   X      <module> <file> <insmod message>              a module that did not load
#   N      <namespace> <path> <verdict>                  visible (net), namespaced, global, untested: why
#   L      <link path> <stat %N: 'path' -> 'target'>
#   S      <path> <reason>
#   T      <stage> <uptime>                              when a stage ended
#   END    <number of files> <uptime>
#
# Fields are separated by tabs; procfs and sysfs names hold neither tabs nor newlines.
#
# Reading: every process started costs milliseconds under TCG, so files are read in
# batches: one `head -q -c MAX_BYTES+1 file1 MARK file2 MARK …` per batch, where MARK is
# a file of random bytes made at boot; the host splits stdout at the marks and takes
# errors from stderr (`head: PATH: strerror text`). A batch that outlives its time bound
# holds a read that blocks: its files are then read one by one, each under READ_TIMEOUT
# (an R record of count 1 with exit status 137 is a timeout). Every file is read READS
# times; a file that blocked is not read again, as in the live scraper.
#
# Settings come from /etc/walk.conf (WALK, MAX_BYTES, READ_TIMEOUT, READS, BATCH,
# BATCH_TIMEOUT), hazards from /etc/walk/hazard-dirs (path below /sys, reason) and
# /etc/walk/hazard-files (ERE on the path, reason), module load steps from
# /etc/walk/modules (credited module, modules to insmod from /modules/), all written by
# scripts/refresh/initramfs.ts.

set -f # paths are data: never glob them
. /etc/walk.conf
TAB=$(printf '\t')
NL='
'
exec 3>"$1"

stage() { # name: a T record with the uptime, so the host can report where the time goes
  local up
  read -r up _ </proc/uptime
  printf 'T\t%s\t%s\n' "$1" "$up" >&3
}

read -r up _ </proc/uptime
# Possible CPUs as well as online ones: some defaults follow the possible count
# (kernel.pid_max is 1024 per possible CPU above 32), and a machine with CPU hotplug slots
# has more possible than online.
printf 'BEGIN\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(uname -r)" "$(uname -m)" "$(cat /sys/devices/system/cpu/online)" "$(cat /sys/devices/system/cpu/possible)" "$(grep MemTotal /proc/meminfo)" "$up" >&3

head -c 24 /dev/urandom >/tmp/mark
printf 'M\t%s\n' "$(base64 -w 0 /tmp/mark)" >&3

prune='-path /nonexistent'
while IFS="$TAB" read -r dir reason; do
  prune="$prune -o -path /sys/$dir"
done </etc/walk/hazard-dirs

# Writes "mode<TAB>path" of every file to walk to $1: sysctls, then sysfs attributes.
# Hazard folders are pruned, other filesystems are not entered (-xdev), symlinks are not
# followed; with $2 = report, the hazards found are written as S records.
list_files() { # out [report]
  local dir reason pattern mode path
  find /proc/sys -type f -exec stat -c "%a$TAB%n" {} + >"$1"
  if [ "$2" = report ]; then
    while IFS="$TAB" read -r dir reason; do
      [ -e "/sys/$dir" ] && printf 'S\t/sys/%s\t%s\n' "$dir" "$reason" >&3
    done </etc/walk/hazard-dirs
  fi
  # shellcheck disable=SC2086 # $prune is a list of find arguments; globbing is off
  find /sys -xdev \( $prune \) -prune -o -type f -perm -200 -exec stat -c "%a$TAB%n" {} + >/tmp/sysfs
  # Read-only module parameters too: their value is what was set at load or boot
  # (src/core/paths.ts MODULE_PARAMETER_FILE).
  find /sys/module -path '/sys/module/*/parameters/*' -type f ! -perm -200 -perm -400 -exec stat -c "%a$TAB%n" {} + >>/tmp/sysfs
  while IFS="$TAB" read -r pattern reason; do
    if [ "$2" = report ]; then
      grep -E "$pattern" /tmp/sysfs | while IFS="$TAB" read -r mode path; do printf 'S\t%s\t%s\n' "$path" "$reason"; done >&3
    fi
    grep -v -E "$pattern" /tmp/sysfs >/tmp/kept
    mv /tmp/kept /tmp/sysfs
  done </etc/walk/hazard-files
  cat /tmp/sysfs >>"$1"
}

# Adds the files listed in $1 to the walk: P records (credited to module $2, if given),
# and head's arguments, each path followed by the marker (built once: loops in sh are slow).
add_files() { # list [module]
  if [ -n "$2" ]; then sed "s/\$/$TAB$2/" "$1"; else cat "$1"; fi | sed "s/^/P$TAB/" >&3
  cut -f 2 "$1" | sed 'a /tmp/mark' >>/tmp/args
  total=$((total + $(wc -l <"$1")))
}

# Reads files first … first+count-1 in one head under a time bound and writes their R
# record. Returns 1, writing nothing, when a batch of several files hit the bound; a
# single file that hit it is recorded (exit status 137) and never read again.
read_batch() { # pass first count seconds
  local pass=$1 first=$2 count=$3 seconds=$4 status
  [ "$count" = 1 ] && [ -e "/tmp/blocked.$first" ] && return 0
  IFS=$NL
  # shellcheck disable=SC2046 # one argument per line; globbing is off
  set -- $(sed -n "$((2 * first - 1)),$((2 * (first + count - 1)))p" /tmp/args)
  IFS=" $TAB$NL"
  timeout -s KILL "$seconds" head -q -c "$((MAX_BYTES + 1))" "$@" >/tmp/o 2>/tmp/e
  status=$?
  if [ "$status" = 137 ]; then
    [ "$count" -gt 1 ] && return 1
    : >"/tmp/blocked.$first"
  fi
  printf 'R\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pass" "$first" "$count" "$status" "$(base64 -w 0 /tmp/o)" "$(base64 -w 0 /tmp/e)"
}

# Reads files from … total, READS times over.
read_files() { # from
  local pass=1 first count i
  while [ "$pass" -le "$READS" ]; do
    first=$1
    while [ "$first" -le "$total" ]; do
      count=$((total - first + 1))
      [ "$count" -gt "$BATCH" ] && count=$BATCH
      # A batch that blocked once is read file by file in later passes too.
      if [ -e "/tmp/slow.$first" ] || ! read_batch "$pass" "$first" "$count" "$BATCH_TIMEOUT"; then
        : >"/tmp/slow.$first"
        i=$first
        while [ "$i" -lt $((first + count)) ]; do
          read_batch "$pass" "$i" 1 "$READ_TIMEOUT"
          i=$((i + 1))
        done
      fi
      first=$((first + count))
    done >&3
    stage "read $pass from $1"
    pass=$((pass + 1))
  done
}

total=0
: >/tmp/args
list_files /tmp/list report
stage listed
add_files /tmp/list
read_files 1

# As modprobe does (kmod reads /proc/cmdline): the command line's `module.param=value`
# words are the module's options when it loads. `set -f` keeps the words unglobbed.
cmdline_options() { # module file name
  local module word
  module=$(echo "$1" | tr - _)
  for word in $(cat /proc/cmdline); do
    case "$word" in "$module".*) echo "${word#"$module".}" ;; esac
  done
}

# Modules. A full walk loads each step's modules, then whatever files appeared belong to the
# step's module. A values walk loads every step's modules first and lists once: the files
# that appeared are credited `+`, and the host credits each from the kernel's full walk
# (scripts/refresh/credit.ts), since listing all of /sys after every step is most of a
# walk's time under TCG. `sort known known now | uniq -u` leaves the lines only `now` has.
sort /tmp/list >/tmp/known
base=$total
list_new() { # credit
  list_files /tmp/now
  sort /tmp/known /tmp/known /tmp/now | uniq -u >/tmp/new
  if [ -s /tmp/new ]; then
    add_files /tmp/new "$1"
    sort /tmp/known /tmp/new >/tmp/merged
    mv /tmp/merged /tmp/known
  fi
}
while IFS="$TAB" read -r module load <&4; do
  for name in $load; do
    # A module that fails is reported; the step goes on (a soft dependency may be missable).
    # shellcheck disable=SC2046 # one argument per word, as modprobe passes them
    if ! insmod "/modules/$name.ko" $(cmdline_options "$name") </dev/null 2>/tmp/e; then
      read -r message </tmp/e
      printf 'X\t%s\t%s\t%s\n' "$module" "$name" "$message" >&3
    fi
  done
  if [ "$WALK" = full ]; then
    list_new "$module"
    stage "module $module"
  fi
done 4</etc/walk/modules
if [ "$WALK" = values ]; then
  list_new +
  stage modules
fi
[ "$total" -gt "$base" ] && read_files $((base + 1))

# Namespaces, once everything is read (a write test may change a global value); in a full
# walk only, since which namespace holds a sysctl does not depend on the machine's shape.
# Network: the sysctls a new network namespace shows are its own copies.
# The others: in a child namespace, write a different valid value and check the child
# reads something new; if the parent still reads its old value, the child had its own
# copy. Numbers: the last digit of the last number moves by one (as text: some defaults,
# like kernel.shmmax, are beyond the shell's arithmetic); text (hostname) is replaced.
# With `far`, for a counter that moves by itself (kernel.ns_last_pid is the last pid given
# out in the reader's pid namespace: every process the test starts moves it), the child
# writes a value 10000 away, inside any pid_max, and the parent's value counts as its own
# when it stayed nearer its old value than the child's.
write_test() { # namespace unshare-options path [far]
  local namespace=$1 options=$2 path=$3 far=$4 before new digit after verdict
  before=$(cat "$path") || return
  if [ -n "$far" ]; then
    new=$(far_from "$before")
  elif [ -z "$before" ] || [ -n "$(printf %s "$before" | tr -d '0-9 \t-')" ]; then
    new=lkt-probe
  else
    new=${before%?}
    digit=${before#"$new"}
    if [ "$digit" -gt 0 ]; then new="$new$((digit - 1))"; else new="${new}1"; fi
  fi
  # shellcheck disable=SC2016,SC2086 # the child's script, its arguments $1 … $3; options are words
  if unshare $options sh -c 'echo "$1" >"$2" && [ "$(cat "$2")" != "$3" ]' - "$new" "$path" "$before" </dev/null 2>/tmp/e; then
    after=$(cat "$path")
    if [ "$after" = "$before" ] || { [ -n "$far" ] && kept_own "$after" "$before" "$new"; }; then
      verdict=namespaced
    else
      verdict=global
      echo "$before" >"$path"
    fi
  else
    read -r verdict </tmp/e
    verdict="untested: ${verdict:-the child read back the old value}"
  fi
  printf 'N\t%s\t%s\t%s\n' "$namespace" "$path" "$verdict" >&3
}

far_from() { # value: one 10000 away, inside any pid_max (at least 32768)
  if [ "$1" -lt 16384 ]; then echo $(($1 + 10000)); else echo $(($1 - 10000)); fi
}

kept_own() { # after before written: is after nearer before than written?
  local own=$(($1 - $2)) theirs=$(($1 - $3))
  [ "$own" -lt 0 ] && own=$((-own))
  [ "$theirs" -lt 0 ] && theirs=$((-theirs))
  [ "$own" -lt "$theirs" ]
}

if [ "$WALK" = full ]; then
  unshare -n find /proc/sys/net -type f | sed "s/^/N${TAB}net$TAB/; s/\$/${TAB}visible/" >&3

  # Globs list the candidates; each is then tested with globbing off again.
  set +f
  candidates() { for path; do [ -f "$path" ] && echo "$path"; done; }
  uts=$(candidates /proc/sys/kernel/hostname /proc/sys/kernel/domainname)
  ipc=$(candidates /proc/sys/kernel/msg* /proc/sys/kernel/sem* /proc/sys/kernel/shm* /proc/sys/fs/mqueue/*)
  user=$(candidates /proc/sys/user/*)
  # Pid namespaces: ns_last_pid on every kernel; vm.memfd_noexec where it exists (6.12 and
  # 7.2 of the reference kernels); kernel.pid_max, which 7.2 registers per pid namespace
  # (kernel/pid.c) and 6.12 does not. Where one is global the test says so.
  pid=$(candidates /proc/sys/kernel/ns_last_pid /proc/sys/kernel/pid_max /proc/sys/vm/memfd_noexec)
  set -f
  # Paths under /proc/sys hold no blanks: the lists split as they are.
  for path in $uts; do write_test uts -u "$path"; done
  for path in $ipc; do write_test ipc -i "$path"; done
  # -r: root in the new user namespace, which may then write its user.* limits.
  for path in $user; do write_test user -r "$path"; done
  # -f: the child runs inside the new pid namespace (unshare alone puts only its children there).
  for path in $pid; do
    case $path in
      */ns_last_pid) write_test pid '-p -f' "$path" far ;;
      *) write_test pid '-p -f' "$path" ;;
    esac
  done
  stage namespaces
fi

# Device links, a superset: the host keeps /sys/block/X, /sys/class/C/X, /sys/bus/B/devices/X.
find /sys/block /sys/class /sys/bus -maxdepth 3 -type l -exec stat -c "L$TAB%n$TAB%N" {} + >&3

read -r up _ </proc/uptime
printf 'END\t%s\t%s\n' "$total" "$up" >&3
