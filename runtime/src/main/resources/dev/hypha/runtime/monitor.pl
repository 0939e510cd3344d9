# Hypha's container monitor: a tiny containerd-shim. It records the exit status of a container's
# init process, which OCI runtimes do not keep.
#
#   perl monitor.pl PRCTL_NR MOUNT_NR
#
# and then, on stdin, NUL-separated: the container's log file, BUNDLE, OVERLAY, and the runtime
# command, e.g. RUNTIME --root R ... run --detach --bundle B --pid-file BUNDLE/init.pid ID
# (or "create" instead of "run --detach"). PRCTL_NR and MOUNT_NR are this architecture's system
# call numbers (calling them directly spares loading the POSIX module, a third of the monitor's
# start-up time). OVERLAY is "-", or the options of an overlay mount ("lowerdir=...,upperdir=...,
# workdir=...") to mount on BUNDLE/rootfs first: doing it here spares the caller starting
# mount(8), a process of its own, on every container start.
#
# The request comes on stdin so that a monitor can be started ahead of need and wait, its set-up
# done: the caller keeps one such spare, and a container start then costs neither starting perl
# nor this set-up. Stdin closed without a request: nothing to do.
#
# The first process forks the monitor and exits with the runtime command's exit code as soon as
# the monitor reports it (124: the kernel refused the overlay and nothing ran; 125: the monitor
# failed). The monitor moves to a process group of its own (the agent's terminal and the signals
# sent to the agent's group do not reach it), makes itself a child subreaper
# (prctl PR_SET_CHILD_SUBREAPER), and waits for the request. Then it takes stdin from /dev/null
# and stdout and stderr from the log (never pipes: the runtime hands them to the container), and
# runs the command. The runtime exits once the container is created (or started), and the
# container's init is re-parented to the nearest subreaper: this monitor. When the init ends, the
# monitor reaps it and writes its status to BUNDLE/exit-status: the exit code, or 128 + the signal
# that killed it (the shell's convention: 137 = SIGKILL, e.g. by the OOM killer). Then it exits.
#
# A process group rather than a session (setsid): where the kernel groups tasks for scheduling by
# session (CONFIG_SCHED_AUTOGROUP, on by default), every new session is a new scheduling group,
# and on a busy host that made each container start ~20-30 ms slower. The session was never needed:
# terminal signals go to the foreground process group only, and the monitor ignores HUP anyway.
use strict;
# No 'use warnings': loading it adds ~2.5 ms to every container start, and this script is tested.

my ($prctl, $mount) = @ARGV;
die "hypha monitor: usage: monitor.pl PRCTL_NR MOUNT_NR, the request on stdin\n" unless defined $mount;

pipe(my $report_r, my $report_w) or die "hypha monitor: pipe: $!\n";
my $monitor = fork();
die "hypha monitor: fork: $!\n" unless defined $monitor;

if ($monitor == 0) {
    close $report_r;
    setpgrp(0, 0) or die "hypha monitor: setpgrp: $!\n";
    syscall($prctl, 36, 1, 0, 0, 0) == 0 or die "hypha monitor: prctl(PR_SET_CHILD_SUBREAPER): $!\n";
    $SIG{$_} = 'IGNORE' for qw(HUP INT TERM PIPE);

    my $request = do { local $/; <STDIN> };
    exit 0 unless defined $request && length $request;
    my ($log, $bundle, $overlay, @command) = split /\0/, $request, -1;
    die "hypha monitor: the request names no command\n" unless @command;
    open(STDIN, '<', '/dev/null') or die "hypha monitor: /dev/null: $!\n";
    open(STDOUT, '>>', $log) or die "hypha monitor: $log: $!\n";
    open(STDERR, '>>&', \*STDOUT) or die "hypha monitor: $log: $!\n";

    if ($overlay ne '-') {
        my ($source, $target, $type) = ('overlay', "$bundle/rootfs", 'overlay');
        if (syscall($mount, $source, $target, $type, 0, $overlay) != 0) {
            report(124);
            exit 0;
        }
    }
    write_file("$bundle/monitor.pid", "$$\n");

    my $runtime = fork();
    die "hypha monitor: fork: $!\n" unless defined $runtime;
    if ($runtime == 0) {
        $SIG{$_} = 'DEFAULT' for qw(HUP INT TERM PIPE);
        exec { $command[0] } @command or die "hypha monitor: cannot run $command[0]: $!\n";
    }
    waitpid($runtime, 0);
    my $code = status_code($?);
    report($code);
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

sub report {
    my ($code) = @_;
    print {$report_w} "$code\n";
    close $report_w;
}

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
