# Hypha's container monitor: a tiny containerd-shim. It records the exit status of a container's
# init process, which OCI runtimes do not keep.
#
#   perl monitor.pl PRCTL_NR MOUNT_NR BUNDLE OVERLAY RUNTIME --root R ... create --bundle B --pid-file BUNDLE/init.pid ID
#   perl monitor.pl PRCTL_NR MOUNT_NR BUNDLE OVERLAY RUNTIME --root R ... run --detach --bundle B --pid-file BUNDLE/init.pid ID
#
# PRCTL_NR and MOUNT_NR are this architecture's system call numbers (calling them directly spares
# loading the POSIX module, a third of the monitor's start-up time). OVERLAY is "-", or the options
# of an overlay mount ("lowerdir=...,upperdir=...,workdir=...") to mount on BUNDLE/rootfs first:
# doing it here spares the caller starting mount(8), a process of its own, on every container
# start. When the kernel refuses that mount the first process exits with 124 and nothing else runs.
#
# The first process forks the monitor and exits with the runtime command's exit code, as soon as
# that is known. The monitor moves to a process group of its own (the agent's terminal and the
# signals sent to the agent's group do not reach it), makes itself a child subreaper
# (prctl PR_SET_CHILD_SUBREAPER), and runs the command ("create", or "run --detach" to create and
# start at once). The runtime exits once the container is created (or started), and the
# container's init is re-parented to the nearest subreaper: this monitor. When the init ends, the
# monitor reaps it and writes its status to BUNDLE/exit-status: the exit code, or 128 + the
# signal that killed it (the shell's convention: 137 = SIGKILL, e.g. by the OOM killer). Then it
# exits. stdin, stdout and stderr are files set by the caller (the container's log), never pipes.
#
#   perl monitor.pl --stdin
#
# takes the same arguments from stdin instead, NUL-separated, after the container's log file: a
# spare monitor, started ahead of need so that a container start does not wait for perl to start.
# Once its request has come it takes stdin from /dev/null and stdout and stderr from the log, as
# the caller does for the command line form. Stdin closed without a request: nothing to do.
#
# A process group rather than a session (setsid): where the kernel groups tasks for scheduling by
# session (CONFIG_SCHED_AUTOGROUP, on by default), every new session is a new scheduling group,
# and on a busy host that made each container start ~20-30 ms slower. The session was never needed:
# terminal signals go to the foreground process group only, and the monitor ignores HUP anyway.
use strict;
# No 'use warnings': loading it adds ~2.5 ms to every container start, and this script is tested.

if (@ARGV == 1 && $ARGV[0] eq '--stdin') {
    my $request = do { local $/; <STDIN> };
    exit 0 unless defined $request && length $request;
    my $log;
    ($log, @ARGV) = split /\0/, $request, -1;
    open(STDIN, '<', '/dev/null') or exit 125;
    open(STDOUT, '>>', $log) or exit 125;
    open(STDERR, '>>&', \*STDOUT) or exit 125;
}

my ($prctl, $mount, $bundle, $overlay, @create) = @ARGV;
die "hypha monitor: usage: monitor.pl PRCTL_NR MOUNT_NR BUNDLE OVERLAY RUNTIME ARGS...\n" unless @create;

if ($overlay ne '-') {
    my ($source, $target, $type) = ('overlay', "$bundle/rootfs", 'overlay');
    exit 124 unless syscall($mount, $source, $target, $type, 0, $overlay) == 0;
}

pipe(my $report_r, my $report_w) or die "hypha monitor: pipe: $!\n";
my $monitor = fork();
die "hypha monitor: fork: $!\n" unless defined $monitor;

if ($monitor == 0) {
    close $report_r;
    setpgrp(0, 0) or die "hypha monitor: setpgrp: $!\n";
    syscall($prctl, 36, 1, 0, 0, 0) == 0 or die "hypha monitor: prctl(PR_SET_CHILD_SUBREAPER): $!\n";
    $SIG{$_} = 'IGNORE' for qw(HUP INT TERM PIPE);
    write_file("$bundle/monitor.pid", "$$\n");

    my $runtime = fork();
    die "hypha monitor: fork: $!\n" unless defined $runtime;
    if ($runtime == 0) {
        $SIG{$_} = 'DEFAULT' for qw(HUP INT TERM PIPE);
        exec { $create[0] } @create or die "hypha monitor: cannot run $create[0]: $!\n";
    }
    waitpid($runtime, 0);
    my $code = status_code($?);
    print {$report_w} "$code\n";
    close $report_w;
    exit 0 if $code != 0;

    chdir '/';
    my $init = 0;
    if (open(my $pf, '<', "$bundle/init.pid")) {
        $init = int(<$pf> // 0);
        close $pf;
    }
    exit 0 unless $init > 0;
    # Reap every child (runtime helpers re-parented here too); record the init's status.
    while ((my $child = waitpid(-1, 0)) > 0) {
        next unless $child == $init;
        write_file("$bundle/exit-status", status_code($?) . "\n");
    }
    exit 0;
}

close $report_w;
my $line = <$report_r>;
exit 125 unless defined $line;
chomp $line;
exit($line + 0);

sub status_code {
    my ($status) = @_;
    return ($status & 127) ? 128 + ($status & 127) : ($status >> 8);
}

sub write_file {
    my ($path, $text) = @_;
    open(my $out, '>', "$path.tmp") or return;
    print {$out} $text;
    close $out;
    rename "$path.tmp", $path;
}
