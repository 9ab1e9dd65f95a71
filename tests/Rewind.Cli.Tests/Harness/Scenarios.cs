using System.Text;

namespace Rewind.Cli.Tests.Harness;

/// <summary>How each program in tests/programs is run: one scenario per program.</summary>
internal static class Scenarios
{
    public const int Sigabrt = 128 + 6;
    public const int Sigsegv = 128 + 11;
    public const int Sigalrm = 128 + 14;

    /// <summary>The random file names dirlist lists (new ones each test run, the same in every directory of a run).</summary>
    public static readonly IReadOnlyList<string> ListedNames =
        Enumerable.Range(0, 7).Select(i => $"f{i}-{Guid.NewGuid():N}"[..16]).ToArray();

    public static readonly byte[] StdinBytes = Encoding.UTF8.GetBytes(
        "first line\nsecond line, a bit longer\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"row {i};")) + "\nlast\n");

    public static readonly string ReadFileText =
        "The quick brown fox\njumps over\nthe lazy dog.\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"line {i} of the data file\n"));

    public static readonly string MappedText =
        "mapped data file\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"{i,5}: the mapping spans several pages\n"));

    public static readonly Scenario Time = new("time");
    public static readonly Scenario Clocks = new("clocks");
    public static readonly Scenario TimeReads = new("time_reads");
    public static readonly Scenario HookedSyscalls = new("hooked_syscalls");
    public static readonly Scenario Rdtsc = new("rdtsc");
    public static readonly Scenario Cpuid = new("cpuid");
    public static readonly Scenario ApicIds = new("apic_ids");
    public static readonly Scenario Affinity = new("affinity");
    public static readonly Scenario Vdso = new("vdso");
    public static readonly Scenario Random = new("random");
    public static readonly Scenario Pids = new("pids");
    public static readonly Scenario Uname = new("uname");
    public static readonly Scenario Signals = new("signals");
    public static readonly Scenario Layout = new("layout");
    public static readonly Scenario Hello = new("hello");
    public static readonly Scenario Thread = new("thread");
    public static readonly Scenario MutexOrder = new("mutex_order");
    public static readonly Scenario RacyBuffer = new("racy_buffer");
    public static readonly Scenario SpinCounter = new("spin_counter");
    public static readonly Scenario RacyFile = new("racy_file");
    public static readonly Scenario CondVar = new("condvar");
    public static readonly Scenario ThreadSignal = new("thread_signal");
    public static readonly Scenario WorkerCrash = new("worker_crash") { ExpectedExit = Sigsegv };
    public static readonly Scenario MainExit = new("main_exit") { ExpectedExit = 3 };
    public static readonly Scenario ManyThreads = new("many_threads");
    public static readonly Scenario SpinFlag = new("spin_flag");
    public static readonly Scenario FatalAlarm = new("fatal_alarm") { ExpectedExit = Sigalrm };
    public static readonly Scenario SpinWhileAsleep = new("spin_while_asleep");
    public static readonly Scenario BlockingBuffer = new("blocking_buffer");
    public static readonly Scenario BelowStack = new("below_stack");
    public static readonly Scenario ThreadCheckpoints = new("thread_checkpoints");
    public static readonly Scenario RegisterLoop = new("register_loop");
    public static readonly Scenario SharedCode = new("shared_code");
    public static readonly Scenario ExecFromThread = new("exec_from_thread") { ExpectedExit = 4 };
    public static readonly Scenario Redirects = new("redirects");
    public static readonly Scenario OutputOrder = new("output_order");
    public static readonly Scenario MaskedWait = new("masked_wait");
    public static readonly Scenario UnhandledSignals = new("unhandled_signals");
    public static readonly Scenario ProfLoop = new("prof_loop");
    public static readonly Scenario AlarmXorshift = new("alarm_xorshift");
    public static readonly Scenario SignalStorm = new("signal_storm");
    public static readonly Scenario TrapSignals = new("trap_signals");
    public static readonly Scenario QueuedSignals = new("queued_signals");
    public static readonly Scenario EpollLoop = new("epoll_loop");
    public static readonly Scenario UnknownSyscalls = new("unknown_syscalls");
    public static readonly Scenario Int80 = new("int80");
    public static readonly Scenario NewerSyscalls = new("newer_syscalls");
    public static readonly Scenario SnapshotChildren = new("snapshot_children");
    public static readonly Scenario KernelWrites = new("kernel_writes");
    public static readonly Scenario KernelMemory = new("kernel_memory");
    public static readonly Scenario TscControl = new("tsc_control");
    public static readonly Scenario ExecMask = new("exec_mask");
    public static readonly Scenario StartMask = new("start_mask") { Launcher = ["start_mask", "--block"] };
    public static readonly Scenario UntracedClone = new("untraced_clone");
    public static readonly Scenario StopContinue = new("stop_continue");
    public static readonly Scenario DevZero = new("dev_zero");
    public static readonly Scenario BigMappings = new("big_mappings");
    public static readonly Scenario HoleMappings = new("hole_mappings");
    public static readonly Scenario PastEof = new("past_eof");
    public static readonly Scenario SysvIpc = new("sysv_ipc");
    public static readonly Scenario SysvShm = new("sysv_shm");
    public static readonly Scenario Fexecve = new("fexecve");
    public static readonly Scenario KernelAnswers = new("kernel_answers");
    public static readonly Scenario Withheld = new("withheld");
    public static readonly Scenario Seccomp = new("seccomp");
    public static readonly Scenario GroupSignal = new("group_signal") { OwnSession = true, ExpectedExit = 128 + 15 };
    public static readonly Scenario Fork1000 = new("fork1000");
    public static readonly Scenario ForkPipe = new("fork_pipe");
    public static readonly Scenario ChildCrash = new("child_crash");
    public static readonly Scenario SharedCounter = new("shared_counter");
    public static readonly Scenario SharedFileCounter = new("shared_file_counter");
    public static readonly Scenario Sessions = new("sessions");
    public static readonly Scenario TreeCheckpoints = new("tree_checkpoints");
    public static readonly Scenario WaitingParent = new("waiting_parent");
    public static readonly Scenario LatePipe = new("late_pipe");
    public static readonly Scenario QueuedPipe = new("queued_pipe");
    public static readonly Scenario RestartPoll = new("restart_poll");
    public static readonly Scenario SlowStdout = new("slow_stdout");
    public static readonly Scenario GrownRegion = new("grown_region");
    public static readonly Scenario MappedFileChildren = new("mapped_file_children");
    public static readonly Scenario VforkWrites = new("vfork_writes");
    public static readonly Scenario ParentLeavesFirst = new("parent_leaves_first") { ExpectedExit = 5 };
    public static readonly Scenario SpawnPipeline = new("spawn_pipeline");
    public static readonly Scenario PreforkServer = new("prefork_server");
    public static readonly Scenario ChildLeaves = new("child_leaves");
    public static readonly Scenario DaemonChild = new("daemon_child") { Args = ["0"] };
    public static readonly Scenario PidNamespace = new("pid_namespace");
    public static readonly Scenario ProcessGroup = new("process_group");
    public static readonly Scenario ProcessAnswers = new("process_answers");
    public static readonly Scenario Ioctls = new("ioctls");
    public static readonly Scenario Exit3 = new("exit3") { ExpectedExit = 3 };
    public static readonly Scenario Crash = new("crash") { ExpectedExit = Sigsegv };
    public static readonly Scenario Abort = new("abort") { ExpectedExit = Sigabrt };
    public static readonly Scenario Demo = new("demo") { Args = ["apple=3", "pear=1", "mango=4", "plum=2"], ExpectedExit = Sigsegv };

    public static readonly Scenario Args = new("args") { Args = ["alpha", "two words", "", "--flag=ü"] };

    public static readonly Scenario DirList = new("dirlist")
    {
        Args = ["listing"],
        Setup = dir =>
        {
            string listing = Directory.CreateDirectory(Path.Combine(dir, "listing")).FullName;
            foreach (string name in ListedNames)
                File.WriteAllText(Path.Combine(listing, name), name);
        },
    };

    public static readonly Scenario Stat = new("stat")
    {
        Args = ["data.txt", "link", "subdir", "missing"],
        Setup = dir =>
        {
            File.WriteAllText(Path.Combine(dir, "data.txt"), "twelve bytes");
            File.CreateSymbolicLink(Path.Combine(dir, "link"), "data.txt");
            Directory.CreateDirectory(Path.Combine(dir, "subdir"));
        },
    };

    public static readonly Scenario ReadFile = new("readfile")
    {
        Args = ["data.txt"],
        Setup = dir => File.WriteAllText(Path.Combine(dir, "data.txt"), ReadFileText),
    };

    public static readonly Scenario Stdin = new("stdin") { Stdin = StdinBytes };

    public static readonly Scenario MmapFile = new("mmapfile")
    {
        Args = ["mapped.txt"],
        Setup = dir => File.WriteAllText(Path.Combine(dir, "mapped.txt"), MappedText),
    };

    public static readonly Scenario CheckpointState = new("checkpoint_state")
    {
        Args = ["3", "state.dat", "0"],
        Setup = dir => File.WriteAllBytes(Path.Combine(dir, "state.dat"), [.. Enumerable.Range(0, 16384).Select(i => (byte)(i * 7))]),
    };

    public static readonly Scenario Append = new("append") { Args = ["out.txt"], ReplayInRecordingDirectory = true };

    public static readonly Scenario FsOps = new("fsops")
    {
        Setup = dir =>
        {
            File.WriteAllText(Path.Combine(dir, "old.txt"), "old\n");
            File.WriteAllText(Path.Combine(dir, "doomed.txt"), "doomed\n");
        },
        ReplayInRecordingDirectory = true,
        // Put the directory back as it was before the recording, so that anything replay
        // re-executed (create, rename, unlink, mkdir, symlink, truncate) would show.
        BeforeReplay = dir =>
        {
            foreach (string name in new[] { "created.txt", "newlink" })
                File.Delete(Path.Combine(dir, name));
            Directory.Delete(Path.Combine(dir, "newdir"));
            File.Move(Path.Combine(dir, "renamed.txt"), Path.Combine(dir, "old.txt"));
            File.WriteAllText(Path.Combine(dir, "old.txt"), "old\n");
            File.WriteAllText(Path.Combine(dir, "doomed.txt"), "doomed\n");
        },
    };

    public static IEnumerable<Scenario> All =>
    [
        Time, Clocks, TimeReads, HookedSyscalls, Rdtsc, Cpuid, ApicIds, Affinity, Random, Pids, Uname, Signals, Layout, Hello, Thread, Fork1000, Exit3, Crash, Abort,
        Demo, Args, DirList, Stat, ReadFile, Stdin, MmapFile, CheckpointState, Append, FsOps,
        MutexOrder, RacyBuffer, SpinCounter, RacyFile, CondVar, ThreadSignal, WorkerCrash, MainExit, ManyThreads, SpinFlag, FatalAlarm, SpinWhileAsleep, BlockingBuffer, BelowStack, ThreadCheckpoints, RegisterLoop, SharedCode, ExecFromThread,
        Redirects, OutputOrder, MaskedWait, UnhandledSignals, ProfLoop, AlarmXorshift, SignalStorm, TrapSignals, QueuedSignals, GroupSignal, UnknownSyscalls, Int80, NewerSyscalls, KernelWrites,
        KernelMemory, TscControl, ExecMask, UntracedClone, DevZero, StopContinue, Vdso, StartMask, BigMappings, HoleMappings, PastEof, SysvIpc, SysvShm, Fexecve, KernelAnswers, Withheld, Seccomp,
        ForkPipe, ChildCrash, SharedCounter, SharedFileCounter, Sessions, SpawnPipeline, PreforkServer, ChildLeaves, TreeCheckpoints, VforkWrites, ParentLeavesFirst,
        WaitingParent, LatePipe, QueuedPipe, EpollLoop, RestartPoll, SlowStdout, GrownRegion, MappedFileChildren,
        DaemonChild, PidNamespace, ProcessGroup, ProcessAnswers, Ioctls, SnapshotChildren,
    ];

    public static Scenario ByName(string program) => All.Single(s => s.Program == program);
}
