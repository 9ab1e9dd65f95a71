using Rewind.Checkpoints;
using Rewind.Cpu;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Replay;

/// <summary>
/// Re-runs a recorded process from a checkpoint of its trace, feeding it the logged results of
/// everything nondeterministic. Replay touches nothing outside the tracee: emulated syscalls
/// are skipped, and only syscalls that change the tracee itself run again. Every stop is checked
/// against the log; a mismatch throws <see cref="DivergenceException"/>. Breakpoints, single
/// steps and hardware watchpoints stop it for a debugger. The threads of the recorded process are
/// threads here too, run one at a time as recorded: each event is its thread's, which runs up to
/// it while the others stay stopped. So are the processes it created, each forked again by its
/// parent where the recording's was (<see cref="NewProcessEvent"/>). One process is the one
/// debugged (the first, unless the caller names another): breakpoints, watchpoints and stops are
/// its, and the others' events are replayed in their order in between. Called from one thread
/// only (ptrace).
/// </summary>
public sealed partial class ReplaySession : IMemoryReader, IDisposable
{
    private readonly TraceFile _trace;
    private readonly Action<int, ReadOnlySpan<byte>>? _output;
    private readonly List<Watchpoint> _watchpoints;
    private IEnumerator<(long Index, TraceEvent Event)> _events;
    // Every replayed process's threads by their recorded tids, and the one in hand.
    private readonly Dictionary<Tid, ReplayThread> _threads;
    private ReplayThread _thread;
    private Tracee _tracee;
    private Tracee? _cloned;
    // A process is being created again (CreateProcess): the clone's child is a process, not a thread.
    private bool _creating;
    private volatile int _runningTid, _runningTgid;
    private (long Index, TraceEvent Event)? _next;
    private Action? _onSyscallExit;
    private SignalEvent? _injected;
    private SignalEvent? _pendingDelivery;
    private int _resumeSignal;
    private RemotePtr? _steppingOver;
    private bool _delivering;
    private readonly bool _framesCleared;
    private readonly bool _timeReadsLogged;
    // Whether its processes have Rewind's page of hooked syscalls, whose data empties with the time reads' log.
    private readonly bool _syscallsHooked;
    // Whether the signal being delivered has its frame's CPU state cleared at the handler's entry (SignalFrame).
    private bool _clearingFrame;
    private ReplayStop? _final;
    // The event whose place is searched with the breakpoint, pass after pass: a preemption whose
    // free run is over, or a signal known to need sending (decided once, not at every pass).
    private long _searching = -1;
    // The probe that searches it in the program's own code, where its instruction allows one.
    private PlaceProbe? _probe;
    private Tracee? _probeIn;
    private long _probeEvent = -1;
    // A word the searched place's loop writes, which its probe found unreadable (AwaitsWord).
    private (long Event, RemotePtr Address)? _awaitedWord;
    private readonly SharedFiles _sharedFiles;
    // The recorded pid of the process debugged, and its end once it has ended while others went on.
    private readonly int _debugged;
    private ExitStatus? _debuggedExit;
    // User breakpoints waiting for the process debugged, or its memory at their address, to exist.
    private HashSet<RemotePtr> _wanted = [];
    // User breakpoints of the process debugged held in debug registers, after the watchpoints (ArmBreakpoint).
    private List<RemotePtr> _hardware = [];

    // The event whose place the thread in hand reached with its registers but not the memory the
    // place also names, and which memory: where the place is never found, the divergence says so.
    private (long Event, string What)? _placeMissed;

    /// <summary>The CPUID answers the program was shown when recorded, which a trapped or patched CPUID gets; null in traces made before they were recorded.</summary>
    private readonly CpuidTable? _recordedCpu;

    /// <summary>Where the recording CPU's signal frames are laid out otherwise than this one's: the frames moved between the two (null elsewhere).</summary>
    private readonly ForeignFrames? _foreignFrames;

    /// <summary>Where this CPU cannot fault CPUID and answers otherwise than recorded: the patch of its instructions (null elsewhere).</summary>
    private readonly CpuidPatch? _cpuidPatch;

    private ReplaySession(TraceFile trace, Dictionary<Tid, ReplayThread> threads, ReplayThread current, long nextEvent,
        Action<int, ReadOnlySpan<byte>>? output, List<Watchpoint> watchpoints, SharedFiles sharedFiles, int debugged, CpuidPatch? cpuidPatch)
    {
        _cpuidPatch = cpuidPatch;
        _debugged = debugged;
        _sharedFiles = sharedFiles;
        _trace = trace;
        _output = output;
        _threads = threads;
        _thread = current;
        _tracee = current.Tracee;
        current.Process.Cpu.Hand(current.Recorded);
        bool sameCpu = SameCpu(trace.Header.Machine);
        _freeRunShare = sameCpu ? 0.75 : 0.4;
        _comparedFlags = sameCpu ? Registers.ArithmeticFlags : 0;
        _recordedCpu = trace.Header.Machine.Cpuid is { } cpuid ? new CpuidTable(cpuid) : null;
        _foreignFrames = ForeignFrames.For(_recordedCpu);
        _framesCleared = trace.Header.FormatVersion >= TraceFormat.ClearedSignalFrames;
        _timeReadsLogged = trace.Header.FormatVersion >= TraceFormat.TimeReadsLogged;
        _syscallsHooked = trace.Header.FormatVersion >= TraceFormat.SyscallHooks;
        _watchpoints = watchpoints;
        foreach (var process in threads.Values.Select(t => t.Process).Distinct())
        {
            process.Breakpoints.StandIns = sharedFiles;
        }
        _events = trace.Events(nextEvent).GetEnumerator();
        Advance();
    }

    /// <summary>
    /// Restores checkpoint <paramref name="checkpoint"/>, with every process of its moment (each
    /// image restored into a process of its own, the memory they shared shared again: one stand-in
    /// per object, <see cref="SharedFiles"/>), and stands ready before its first event.
    /// </summary>
    /// <param name="output">Receives what the program writes to stdout (1) and stderr (2).</param>
    /// <param name="debugged">The recorded pid of the process to debug; the first one by default. One the program creates later stops nothing until it exists (<see cref="Resume"/>).</param>
    /// <param name="anyCpu">Replay although this CPU lacks features the program was shown (<see cref="CpuFeatures"/>): one it executes is a SIGILL the log lacks, a divergence.</param>
    public static ReplaySession Start(TraceFile trace, int checkpoint = 0, Action<int, ReadOnlySpan<byte>>? output = null, int? debugged = null, bool anyCpu = false)
    {
        if (!anyCpu)
        {
            CpuFeatures.CheckCanReplay(trace.Header.Machine);
        }
        if (trace.Summary.Checkpoints.FirstOrDefault(c => c.Index == checkpoint) is { Process: { } alone } summary)
        {
            throw new RewindException(summary.With is { } start
                ? $"checkpoint {checkpoint} holds process {alone} of checkpoint {start}'s moment: a replay starts from checkpoint {start}"
                : $"checkpoint {checkpoint} holds process {alone} alone (its exec, while other processes lived): a replay starts from a checkpoint of the whole program (rewind info lists them)");
        }
        var first = trace.CheckpointLayout(checkpoint);
        var images = (first.Moment?.Others ?? []).Select(trace.CheckpointLayout).Prepend(first).ToList();
        var sharedFiles = new SharedFiles();
        var threads = new Dictionary<Tid, ReplayThread>();
        if (trace.Header.Machine.Cpuid is { } recorded)
        {
            CpuPinning.PinTo(new CpuidTable(recorded).InitialApicId);
        }
        var cpuidPatch = CpuidPatch.For(trace);
        try
        {
            foreach (var image in images)
            {
                Restore(trace, image, sharedFiles, cpuidPatch, threads);
            }
        }
        catch
        {
            foreach (var process in threads.Values.Select(t => t.Process).Distinct())
            {
                Rewind.Tracee.KillProcess(process.Leader, threads.Values.Where(t => t.Process == process).Select(t => t.Tracee));
            }
            sharedFiles.Dispose();
            throw;
        }
        var hand = first.Threads.Count > 0 ? threads[first.Threads[0].Tid] : threads.Values.First();
        int pid = debugged ?? trace.ProcessId.Value;
        var session = new ReplaySession(trace, threads, hand, first.EventIndex, output, [], sharedFiles, pid, cpuidPatch);
        if (session._next?.Event is ExecEvent exec && exec.Checkpoint == checkpoint)
        {
            // The image of a later exec is saved before its exec event, which is what it holds.
            session.Advance();
        }
        if (pid == trace.ProcessId.Value && !threads.Values.Any(t => t.Process.Recorded == pid) && trace.Summary.Exit is { } x)
        {
            // The first process lives from the first event: absent from a checkpoint, it had ended,
            // and the replay's end is still its end (a process debugged that ends later is the caller's).
            session._debuggedExit = new ExitStatus(x.Code, x.Signal, x.CoreDumped);
        }
        return session;
    }

    /// <summary>Restores the process of <paramref name="image"/> and adds its threads to <paramref name="threads"/>.</summary>
    private static void Restore(TraceFile trace, CheckpointImage image, SharedFiles sharedFiles, CpuidPatch? cpuidPatch, Dictionary<Tid, ReplayThread> threads)
    {
        var restored = CheckpointRestore.Restore(trace, image, sharedFiles);
        CpuPinning.PinWith(restored);
        var process = new ReplayProcess(image.Moment?.Pid ?? trace.ProcessId.Value, restored, image.ProgramBreak, new BreakpointTable());
        process.Breakpoints.PatchCpuid(restored, cpuidPatch?.In(image) ?? []);
        try
        {
            // The restored process is the image's first thread; its others are added to it (in
            // checkpoints written before threads were, the main thread is the only one).
            string program = trace.Header.CommandLine.Count > 0 ? ProgramThread.CommOf(trace.Header.CommandLine[0]) : "";
            var (tid, name, clearChildTid) = image.Threads.Count > 0
                ? (image.Threads[0].Tid, image.Threads[0].Name, image.Threads[0].State.ClearChildTid) : (trace.ProcessId, program, RemotePtr.Null);
            var actions = TrapActions.From(image.SignalActions);
            threads[tid] = new ReplayThread(tid, restored, name, process, new ThreadSignals(image.BlockedSignals, actions)) { ClearChildTid = clearChildTid };
            foreach (var other in image.Threads.Skip(1))
            {
                threads[other.Tid] = new ReplayThread(other.Tid, restored.CloneThread(other.State), other.Name, process, new ThreadSignals(other.State.BlockedSignals, actions))
                {
                    ClearChildTid = other.State.ClearChildTid,
                };
            }
        }
        catch
        {
            Rewind.Tracee.KillProcess(restored, threads.Values.Where(t => t.Process == process).Select(t => t.Tracee));
            foreach (var t in threads.Values.Where(t => t.Process == process).ToList())
            {
                threads.Remove(t.Recorded);
            }
            throw;
        }
    }

    /// <summary>The index of the next event to be reproduced.</summary>
    public long NextEvent => _next?.Index ?? _trace.Summary.EventCount;

    /// <summary>The next event to be reproduced; null at the end of the trace.</summary>
    public TraceEvent? Next => _next?.Event;

    /// <summary>The thread in hand: the one that runs up to the next event (its recorded tid in <see cref="Thread"/>).</summary>
    public Tracee Tracee => _tracee;

    /// <summary>The recorded tid of the thread in hand.</summary>
    public Tid Thread => _thread.Recorded;

    /// <summary>The threads alive of the process debugged, by their recorded tids.</summary>
    public IReadOnlyCollection<Tid> Threads => [.. Debugged.Select(t => t.Recorded)];

    /// <summary>The threads alive of the process debugged with their names, the main thread first, then by tid.</summary>
    public IReadOnlyList<ProgramThread> ThreadList =>
        [.. Debugged.OrderBy(t => t.Recorded.Value == _debugged ? 0 : 1).ThenBy(t => t.Recorded.Value).Select(t => new ProgramThread(t.Recorded, t.Name))];

    /// <summary>The recorded pid of the process debugged.</summary>
    public int Debuggee => _debugged;

    /// <summary>The threads of the process debugged.</summary>
    private IEnumerable<ReplayThread> Debugged => _threads.Values.Where(IsDebugged);

    private bool IsDebugged(ReplayThread t) => t.Process.Recorded == _debugged;

    /// <summary>The processes alive.</summary>
    private IEnumerable<ReplayProcess> Processes => _threads.Values.Select(t => t.Process).Distinct();

    /// <summary>The breakpoints of the thread in hand's process.</summary>
    private BreakpointTable Breakpoints => _thread.Process.Breakpoints;

    /// <summary>The registers of thread <paramref name="thread"/> (the thread in hand's are <see cref="Registers"/>).</summary>
    public Registers RegistersOf(Tid thread) => ThreadOf(thread).Tracee.GetRegisters();

    /// <summary>The FPU/AVX state of thread <paramref name="thread"/>, as PTRACE_GETREGSET's XSAVE area.</summary>
    public byte[] ExtendedStateOf(Tid thread) => ThreadOf(thread).Tracee.GetExtendedState();

    /// <summary>The index of the last event of <paramref name="thread"/> reproduced so far; null if it had none since the replay started.</summary>
    public long? LastEventOf(Tid thread) => ThreadOf(thread).LastEvent?.Index;

    private ReplayThread ThreadOf(Tid thread) =>
        _threads.TryGetValue(thread, out var t) && IsDebugged(t) ? t : throw new RewindException($"there is no thread {thread} at this moment");

    public TraceFile Trace => _trace;

    /// <summary>Whether the process has ended (or the trace ended); nothing can run any more.</summary>
    public bool IsOver => _final != null;

    public Registers Registers => _tracee.GetRegisters();

    /// <summary>Reads the replayed memory as the program sees it (breakpoints hidden).</summary>
    public int Read(RemotePtr address, Span<byte> buffer)
    {
        int n = _tracee.Read(address, buffer);
        Breakpoints.Hide(address, buffer[..n]);
        _probe?.Hide(address, buffer[..n]);
        return n;
    }

    /// <summary>
    /// A dormant copy of this session at this moment: a forked snapshot of every process, each
    /// with every thread recreated, the memory they share shared between the copies alone
    /// (<see cref="SharedFiles.CopyFor"/>), and the same place in the log. Resume it with
    /// <see cref="Fork"/> again, which leaves it intact. Only at a settled stop: not while a
    /// recorded signal waits to be delivered.
    /// </summary>
    public ReplaySession Fork(Action<int, ReadOnlySpan<byte>>? output = null)
    {
        if (!IsSettled)
        {
            throw new InvalidOperationException("a replay can be forked only at a settled stop");
        }
        DisarmProbe();
        var threads = new Dictionary<Tid, ReplayThread>();
        var copies = new List<Tracee>();
        SharedFiles sharedFiles;
        try
        {
            foreach (var process in Processes.ToList())
            {
                copies.Add(ForkProcess(process, threads));
            }
            sharedFiles = _sharedFiles.CopyFor(copies);
        }
        catch
        {
            foreach (var copy in copies)
            {
                Rewind.Tracee.KillProcess(copy, threads.Values.Where(t => t.Process.Leader == copy).Select(t => t.Tracee));
            }
            throw;
        }
        var session = new ReplaySession(_trace, threads, threads[_thread.Recorded], NextEvent, output, [.. _watchpoints], sharedFiles, _debugged, _cpuidPatch)
        {
            _commFiles = new(_commFiles),
            _wanted = new(_wanted),
            _hardware = [.. _hardware],
            _debuggedExit = _debuggedExit,
        };
        foreach (var copy in session.Processes)
        {
            copy.Breakpoints.InsertAllIntoMemory(copy.Leader);
        }
        session.ApplyDebugRegisters();
        return session;
    }

    /// <summary>
    /// Forks a snapshot of <paramref name="process"/> from its thread in hand (or its first), with
    /// its other threads cloned into it, into <paramref name="threads"/>; returns the copy's leader.
    /// </summary>
    private Tracee ForkProcess(ReplayProcess process, Dictionary<Tid, ReplayThread> threads)
    {
        var members = ThreadsOf(process).ToList();
        var hand = members.Contains(_thread) ? _thread : members[0];
        process.Breakpoints.RemoveAllFromMemory(hand.Tracee);
        try
        {
            // Read before the fork: capturing injects syscalls into each thread.
            var states = members.Select(t => (Thread: t, State: t.Tracee.CaptureState(t.ClearChildTid))).ToList();
            hand.Tracee.ReapSnapshots(process.DeadCopies);
            var copy = hand.Tracee.ForkSnapshot();
            var twin = new ReplayProcess(process.Recorded, copy, process.ProgramBreak, process.Breakpoints.CopyConfiguration()) { Origin = process };
            var actions = hand.Signals.Actions.Copy();
            ReplayThread Twin(ReplayThread t, Tracee tracee) =>
                new(t.Recorded, tracee, t.Name, twin, new ThreadSignals(t.Signals.Blocked, actions)) { ClearChildTid = t.ClearChildTid, LastEvent = t.LastEvent, CreatingEntry = t.CreatingEntry };
            threads[hand.Recorded] = Twin(hand, copy);
            try
            {
                // A fork child has neither robust list nor clear-child-tid word (clone(2)).
                copy.RestoreFutexState(states.First(s => ReferenceEquals(s.Thread, hand)).State);
                foreach (var (thread, state) in states.Where(s => !ReferenceEquals(s.Thread, hand)))
                {
                    threads[thread.Recorded] = Twin(thread, copy.CloneThread(state));
                }
                return copy;
            }
            catch
            {
                Rewind.Tracee.KillProcess(copy, threads.Values.Where(t => t.Process == twin).Select(t => t.Tracee));
                throw;
            }
        }
        finally
        {
            process.Breakpoints.InsertAllIntoMemory(hand.Tracee);
        }
    }

    /// <summary>
    /// A breakpoint of the user's, in the process debugged. Until that process exists, or has
    /// memory at the address where no debug register is free for it, it waits to be put in
    /// (<see cref="InsertWanted"/>).
    /// </summary>
    public void AddBreakpoint(RemotePtr address)
    {
        // The probe's jump may cover the address; the search takes it up again at the next resume.
        DisarmProbe();
        if (DebuggedHand is not { } t || !ArmBreakpoint(t, address))
        {
            _wanted.Add(address);
        }
    }

    public void RemoveBreakpoint(RemotePtr address)
    {
        if (_hardware.Remove(address))
        {
            ApplyDebugRegisters();
        }
        else if (!_wanted.Remove(address) && DebuggedHand is { } t)
        {
            t.Process.Breakpoints.Remove(t.Tracee, address, @internal: false);
        }
    }

    /// <summary>
    /// Arms a user breakpoint: in a debug register (an instruction breakpoint, which writes nothing)
    /// while one is free and the address is not the program's code as loaded (private memory that
    /// is executable and not writable), so in code a JIT writes (writable, or shared: a W^X
    /// runtime's read-execute view), in memory only reserved for it (PROT_NONE, which the runtime
    /// makes executable and writes code into later), and where nothing is mapped yet; otherwise an
    /// int3. False where an int3 finds no memory.
    /// </summary>
    private bool ArmBreakpoint(ReplayThread debugged, RemotePtr address)
    {
        if (_hardware.Count + _watchpoints.Count < DebugRegisters.Slots && !IsLoadedCode(debugged, address))
        {
            _hardware.Add(address);
            ApplyDebugRegisters();
            return true;
        }
        return debugged.Process.Breakpoints.Add(debugged.Tracee, address, @internal: false);
    }

    /// <summary>
    /// Whether <paramref name="address"/> is in private executable memory the program cannot write:
    /// code loaded from a file, which nothing rewrites. Not memory that is not executable yet: a
    /// .NET runtime with W^X off reserves its code heap PROT_NONE and private, then commits pages
    /// read-write-execute (mprotect, which keeps what a tracer wrote there) and writes methods into
    /// them, over an int3 put there before.
    /// </summary>
    private static bool IsLoadedCode(ReplayThread debugged, RemotePtr address) =>
        AddressSpace.Read(debugged.Tracee.Tgid).Regions.FirstOrDefault(r => r.Contains(address)) is { Shared: false } region
        && region.Protection.HasFlag(Protection.Execute) && !region.Protection.HasFlag(Protection.Write);

    /// <summary>
    /// Puts the breakpoints waiting for memory into <paramref name="debugged"/>'s process where it
    /// has some now; one its memory refuses (shared and read-only) waits on.
    /// </summary>
    private void InsertWanted(ReplayThread debugged)
    {
        foreach (var address in _wanted.ToList())
        {
            try
            {
                if (ArmBreakpoint(debugged, address))
                {
                    _wanted.Remove(address);
                }
            }
            catch (RewindException)
            {
            }
        }
    }

    /// <summary>Makes the user breakpoints exactly <paramref name="addresses"/>.</summary>
    public void SetBreakpoints(IReadOnlyCollection<RemotePtr> addresses)
    {
        var present = (DebuggedHand?.Process.Breakpoints.UserAddresses ?? []).Concat(_wanted).Concat(_hardware).ToList();
        foreach (var stale in present.Where(a => !addresses.Contains(a)))
        {
            RemoveBreakpoint(stale);
        }
        foreach (var address in addresses.Where(a => !present.Contains(a)))
        {
            AddBreakpoint(address);
        }
    }

    /// <summary>The thread of the process debugged that its breakpoints are set through: the one in hand if it is of it; null before it exists.</summary>
    private ReplayThread? DebuggedHand => IsDebugged(_thread) && _threads.ContainsKey(_thread.Recorded) ? _thread : Debugged.FirstOrDefault();

    /// <summary>The event reproduced last, null before the first.</summary>
    public TraceEvent? Previous { get; private set; }

    /// <summary>At a stop where the position is well defined: between two events, with nothing of either half done.</summary>
    public bool IsSettled => _onSyscallExit == null && _pendingDelivery == null && _injected == null && !_delivering && _final == null && _next?.Event is not ExitEvent;

    public IReadOnlyList<Watchpoint> Watchpoints => _watchpoints;

    /// <summary>
    /// Watchpoints take debug registers before breakpoints: breakpoints held there that leave too
    /// few become int3s (or wait for memory); one whose memory takes no int3 is refused by its address.
    /// </summary>
    public void SetWatchpoints(IEnumerable<Watchpoint> watchpoints)
    {
        var list = watchpoints.ToList();
        if (DebuggedHand is { } t)
        {
            DebugRegisters.Apply(t.Tracee, list, []);
            while (_hardware.Count > 0 && _hardware.Count + list.Count > DebugRegisters.Slots)
            {
                var moved = _hardware[^1];
                try
                {
                    if (!t.Process.Breakpoints.Add(t.Tracee, moved, @internal: false))
                    {
                        _wanted.Add(moved);
                    }
                }
                catch (RewindException e)
                {
                    ApplyDebugRegisters();
                    throw new RewindException($"the breakpoint at {moved} needs a debug register ({e.Message}), and watchpoints would take all {DebugRegisters.Slots}");
                }
                _hardware.RemoveAt(_hardware.Count - 1);
            }
        }
        _watchpoints.Clear();
        _watchpoints.AddRange(list);
        ApplyDebugRegisters();
    }

    /// <summary>Debug registers are per thread: every thread of the process debugged gets the watchpoints and hardware breakpoints, so any of them stops.</summary>
    private void ApplyDebugRegisters()
    {
        foreach (var t in Debugged)
        {
            DebugRegisters.Apply(t.Tracee, _watchpoints, _hardware);
        }
    }

    /// <summary>
    /// Stops the thread running now wherever it is (a debugger's pause); safe from any thread. It
    /// gets a signal from outside, which replay drops (<see cref="ReplayStopKind.Interrupted"/>).
    /// </summary>
    public void Kick()
    {
        int tgid = _runningTgid, tid = _runningTid;
        if (tid > 0)
        {
            Linux.Interop.tgkill(tgid, tid, Signal.SIGWINCH);
        }
    }

    /// <summary>Replays to the end of the trace.</summary>
    public ReplayResult RunToEnd(Action<ReplayProgress>? progress = null)
    {
        long total = _trace.Summary.EventCount;
        var reported = DateTime.UtcNow;
        while (true)
        {
            var stop = Resume();
            switch (stop.Kind)
            {
                case ReplayStopKind.Exited:
                    return new ReplayResult(stop.Exit, NextEvent, null);
                case ReplayStopKind.EndOfTrace:
                    return new ReplayResult(null, NextEvent, stop.Note);
            }
            if (progress != null && DateTime.UtcNow - reported > TimeSpan.FromMilliseconds(250))
            {
                reported = DateTime.UtcNow;
                progress(new ReplayProgress(NextEvent, total));
            }
        }
    }

    /// <summary>
    /// Runs the process debugged to its next stop: an event reproduced, a breakpoint, a watchpoint,
    /// a recorded signal about to be delivered, its end — or, with <paramref name="step"/>, one
    /// instruction (events inside it are handled on the way). The events of other processes that
    /// come first in the log are replayed first, and stop nobody.
    /// </summary>
    public ReplayStop Resume(bool step = false)
    {
        while (true)
        {
            bool others = OthersFirst, existed = Debugged.Any();
            var stop = ResumeHandling(step && !others && (IsSettled || IsDebugged(_thread)));
            if (stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace || !others && IsDebugged(_thread))
            {
                return stop;
            }
            if (!existed && IsSettled && Debugged.FirstOrDefault() is { } created)
            {
                // The process debugged was just forked: it stops at once, before its first instruction.
                SwitchTo(created.Recorded);
                return stop;
            }
            if (!step && others && !OthersFirst && IsSettled)
            {
                // The others' events are done and the debugged process's comes next: a boundary of
                // its own, where a caller running to that event must be able to stop before it runs.
                TakeNextEventThread();
                return stop;
            }
        }
    }

    /// <summary>At an event boundary, the next event another process's than the one debugged.</summary>
    private bool OthersFirst => IsSettled && _next?.Event is { } e and not ExitEvent && (!_threads.TryGetValue(e.Tid, out var t) || !IsDebugged(t))
        || _next?.Event is ExitEvent x && x.Tid.Value != _debugged;

    /// <summary>Runs the thread in hand, or the next event's, to its next stop (<see cref="Resume"/>).</summary>
    private ReplayStop ResumeHandling(bool step)
    {
        if (_final != null)
        {
            return _final;
        }
        for (bool first = true; ; first = false)
        {
            if (Settle(mayswitch: first || !step, step) is { } settled)
            {
                if (settled.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
                {
                    _final = settled;
                }
                return settled;
            }
            if (_pendingDelivery is { } delivery)
            {
                Deliver(delivery);
                _pendingDelivery = null;
            }
            if (_onSyscallExit == null && _steppingOver == null && !Breakpoints.IsEmpty && _tracee.GetRegisters().Pc is var pc && Breakpoints.Contains(pc))
            {
                // Leaving a breakpoint: run its instruction with the original byte, then put it back.
                _steppingOver = pc;
                Breakpoints.Lift(_tracee, pc, lifted: true);
            }
            if (_onSyscallExit == null && _hardware.Count > 0 && IsDebugged(_thread))
            {
                LeaveHardwareBreakpoint();
            }
            // A signal is delivered by a single step, which stops in its handler: every event ends in a stop.
            var how = _onSyscallExit != null ? Rewind.Resume.Syscall : step || _steppingOver != null || _delivering ? Rewind.Resume.Step
                : WaitsForWord ? Rewind.Resume.Syscall : Rewind.Resume.Continue;
            _runningTgid = _tracee.Tgid;
            _runningTid = _tracee.Pid;
            BoundRun();
            _tracee.Resume(how, _resumeSignal);
            _resumeSignal = 0;
            if (_next?.Event is ExitEvent && _tracee.IsLeader)
            {
                // The process ends now: the leader's death is reported once every other thread was reaped (wait(2)).
                foreach (var other in _threads.Values.Where(t => t.Process == _thread.Process && !t.Tracee.IsLeader))
                {
                    other.Tracee.Wait();
                }
            }
            var status = _tracee.Wait();
            _runningTid = 0;
            EndRunBound();
            if (OnStop(status, step) is { } stop)
            {
                if (stop.Kind is ReplayStopKind.Exited or ReplayStopKind.EndOfTrace)
                {
                    _final = stop;
                }
                return stop;
            }
        }
    }

    /// <summary>
    /// Before resuming: takes the thread whose event is next (unless <paramref name="mayswitch"/> is
    /// false: a step goes on in its thread), and handles what needs no running: the end, a child's
    /// output, a thread at the place it was preempted, an asynchronous signal's place.
    /// </summary>
    private ReplayStop? Settle(bool mayswitch, bool step)
    {
        if (_onSyscallExit != null || _injected != null || _pendingDelivery != null || _delivering)
        {
            return null;
        }
        while (true)
        {
            while (_next?.Event is ChildOutputEvent child)
            {
                _output?.Invoke(child.Output.Fd, child.Output.Data);
                Advance();
            }
            if (mayswitch && _steppingOver == null && _next?.Event is { } upcoming and not (ExitEvent or ProcessLeftEvent))
            {
                SwitchTo(upcoming.Tid);
            }
            switch (_next?.Event)
            {
                case null:
                    return new ReplayStop(ReplayStopKind.EndOfTrace, Note: $"replay stopped at event {NextEvent}: {_trace.RecoveryNote ?? "the trace ends here"}");
                case ProcessLeftEvent left:
                    // Its copy goes: the rest of its run is not in the log.
                    var gone = Processes.FirstOrDefault(p => p.Recorded == left.Tid.Value) ?? throw Diverged($"process {left.Tid} is to leave the recording, but it does not exist in replay");
                    Kill(gone);
                    Advance();
                    if (gone.Recorded == _debugged)
                    {
                        return new ReplayStop(ReplayStopKind.EndOfTrace, Note: $"process {gone.Recorded} left the recording here: {left.Reason}");
                    }
                    continue;
                case ExitEvent { Status.Signal: Signal.SIGKILL } kill:
                    // SIGKILL gives no stop to record where it struck; the process did nothing
                    // observable after its last event, so it ends here.
                    var killed = ProcessOf(kill);
                    Kill(killed);
                    return ProcessGone(killed, kill.Status);
                case SignalEvent { Synchronous: false } signal when _searching != NextEvent && LeavesProgramAsItWas(signal.Signal):
                    PassOver(signal);
                    return new ReplayStop(ReplayStopKind.Signal, signal.Registers.Pc, signal.Signal);
                case SignalEvent { Synchronous: false } signal:
                    if (!RunsFreely(signal.Tid, signal.RunNanos, signal.Registers))
                    {
                        PlaceSignal(signal, step);
                    }
                    return null;
                case SyscallEvent result when result.Tid == _thread.Recorded && _thread.CreatingEntry is { } entry:
                    _thread.CreatingEntry = null;
                    FinishCreation(result, entry);
                    if (step && mayswitch)
                    {
                        continue;
                    }
                    return new ReplayStop(ReplayStopKind.Event);
                case CodePatchEvent patch:
                    Patch(patch);
                    Advance();
                    // A boundary of its own, as the recording's: the timeline stops before the next event.
                    if (step && mayswitch)
                    {
                        continue;
                    }
                    return new ReplayStop(ReplayStopKind.Event);
                case PreemptionEvent preemption when preemption.Tid == _thread.Recorded:
                    if (RunsFreely(preemption.Tid, preemption.RunNanos, preemption.Registers) || !ReachPlace(preemption.Registers, preemption.StackDigest, null, step, preemption.LoopWords))
                    {
                        return null;
                    }
                    // The recording switched threads here: so does replay.
                    Advance();
                    if (step && mayswitch)
                    {
                        continue;
                    }
                    return new ReplayStop(ReplayStopKind.Event);
                default:
                    return null;
            }
        }
    }

    /// <summary>The recorder's patch of the code of <paramref name="patch"/>'s thread's process, made again: its pages of stubs mapped where they were, its bytes written.</summary>
    private void Patch(CodePatchEvent patch)
    {
        var tracee = _threads.TryGetValue(patch.Tid, out var thread) ? thread.Tracee : throw Diverged($"thread {patch.Tid} patches its code, but it does not exist in replay");
        foreach (var page in patch.Mapped)
        {
            long mapped = SyscallHookPage.MapStubs(tracee, page);
            if (mapped != (long)page.Value)
            {
                throw Diverged($"the page of syscall stubs at {page} could not be mapped again ({(Errno.IsError(mapped) ? System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)-mapped) : $"mapped at 0x{mapped:x}")})");
            }
        }
        foreach (var write in patch.Writes)
        {
            tracee.Write(write.Address, write.Data);
        }
    }

    /// <summary>At an event boundary: makes the next event's thread the one in hand, as the next resume would.</summary>
    public void TakeNextEventThread()
    {
        if (IsSettled && _next?.Event is { } e and not ExitEvent && _threads.TryGetValue(e.Tid, out var t) && IsDebugged(t))
        {
            SwitchTo(e.Tid);
        }
    }

    /// <summary>Makes the thread recorded as <paramref name="tid"/> the one in hand.</summary>
    private void SwitchTo(Tid tid)
    {
        if (tid == _thread.Recorded)
        {
            return;
        }
        if (!_threads.TryGetValue(tid, out var thread))
        {
            throw Diverged($"the next event is thread {tid}'s, which does not exist in replay (threads: {string.Join(", ", _threads.Keys)})");
        }
        thread.Process.Cpu.Hand(tid);
        _thread = thread;
        _tracee = thread.Tracee;
    }

    /// <summary>
    /// Whether the thread in hand is at the place named by <paramref name="place"/> and
    /// <paramref name="stackDigest"/>, and the recorded top of the stack where the event has it
    /// (shared/DESIGN.md §4), and the words of memory the place's loop writes where the event has
    /// them (a loop repeating its registers at every lap); if not, the search goes on: a probe in
    /// the place's instruction, or a breakpoint on its pc (where no probe fits, and for a single
    /// step, which must not wander into a trampoline), brings the thread back here when it may be there.
    /// </summary>
    private bool ReachPlace(in Registers place, ulong stackDigest, byte[]? stackTop, bool step, IReadOnlyList<MemoryWord>? loopWords = null)
    {
        var regs = _tracee.GetRegisters();
        bool sameRegisters = regs.SameUserState(place, _comparedFlags);
        if (sameRegisters && StackDigest.Top(this, regs.Sp) is var top && StackDigest.Of(top) == stackDigest
            && (stackTop == null || top.AsSpan().SequenceEqual(stackTop)) && (loopWords == null || loopWords.All(HoldsWord)))
        {
            DisarmProbe();
            Breakpoints.Remove(_tracee, place.Pc, @internal: true);
            // The search's watcher (RunsFreely) is called off.
            Interlocked.Increment(ref _freeRunGeneration);
            return true;
        }
        if (sameRegisters && _placeMissed?.Event != NextEvent)
        {
            // Said if the place is never found: the registers came back, the memory around them did not.
            _placeMissed = (NextEvent, loopWords != null && !loopWords.All(HoldsWord) ? "the words its loop writes" : "the top of the stack");
        }
        if (!step && AwaitsWord())
        {
            return false;
        }
        if (!step && ProbeFor(place, stackDigest, stackTop, loopWords) is { } probe)
        {
            probe.PassOver(_tracee);
            return false;
        }
        if (_probe != null)
        {
            DisarmProbe();
        }
        if (!Breakpoints.IsInternal(place.Pc))
        {
            if (!Breakpoints.Add(_tracee, place.Pc, @internal: true))
            {
                throw Diverged($"the place {place.Pc} to reach has no memory");
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the search waits for a word its place's loop writes to become readable: no pass can
    /// be the place until then, so no probe nor breakpoint stops the thread at each. Only the thread
    /// itself can change that before its place, by a syscall that runs untraced (glibc's mprotect
    /// growing a thread's malloc arena, where the loop writes its output): meanwhile it runs
    /// with a stop at each syscall (PTRACE_SYSCALL), after which the word is looked at again.
    /// </summary>
    private bool AwaitsWord()
    {
        if (_awaitedWord is not { } awaited || awaited.Event != NextEvent)
        {
            _awaitedWord = null;
            return false;
        }
        // Its mapping's protection, which /proc/PID/mem, through which a tracer reads, overrides.
        if (AddressSpace.Read(_tracee.Pid).Regions.Any(r => r.Start <= awaited.Address && awaited.Address < r.End && r.Protection.HasFlag(Protection.Read)))
        {
            _awaitedWord = null;
            return false;
        }
        return true;
    }

    /// <summary>Whether the search for the next event's place waits for a word of its loop (<see cref="AwaitsWord"/>).</summary>
    private bool WaitsForWord => _awaitedWord is { } awaited && awaited.Event == NextEvent;

    /// <summary>Whether the program's memory holds <paramref name="word"/>.</summary>
    private bool HoldsWord(MemoryWord word)
    {
        Span<byte> value = stackalloc byte[8];
        return _tracee.Read(word.Address, value) == 8 && BitConverter.ToUInt64(value) == word.Value;
    }

    /// <summary>The probe searching the place of the event in search, armed now if need be; null where none fits (remembered for the event).</summary>
    private PlaceProbe? ProbeFor(in Registers place, ulong stackDigest, byte[]? stackTop, IReadOnlyList<MemoryWord>? loopWords)
    {
        if (_probeEvent == _searching)
        {
            return _probe;
        }
        DisarmProbe();
        _probeEvent = _searching;
        Breakpoints.Remove(_tracee, place.Pc, @internal: true);
        // A breakpoint of the user's under the jump would be overwritten (an int3) or never reached (a debug register's).
        for (ulong i = 0; i < 5; i++)
        {
            if (Breakpoints.Contains(place.Pc + i) || _hardware.Contains(place.Pc + i))
            {
                return null;
            }
        }
        _probe = PlaceProbe.Arm(_tracee, place, stackDigest, stackTop, loopWords, _sharedFiles);
        _probeIn = _tracee;
        return _probe;
    }

    private void DisarmProbe()
    {
        if (_probeIn is { IsAlive: true } armedIn)
        {
            _probe?.Disarm(armedIn);
        }
        _probe = null;
        _probeIn = null;
        _probeEvent = -1;
        _awaitedWord = null;
    }

    private ReplayStop? OnStop(WaitStatus status, bool step)
    {
        if (status.Exited || status.Signaled)
        {
            return OnExit(status);
        }
        if (status.IsEvent(WaitStatus.EventSeccomp) && _tracee.GetRegisters() is var entry && _thread.Signals.Follow(_tracee, entry))
        {
            return FinishFollowedCall(entry, step);
        }
        if (status.IsEvent(WaitStatus.EventSeccomp))
        {
            if (OnSyscall(step) is { } done)
            {
                return done;
            }
            // Before the process's own exit, always stop: a debugger must not lose it.
            bool exiting = _next?.Event is ExitEvent;
            return exiting || _onSyscallExit == null && !step && _steppingOver == null ? new ReplayStop(ReplayStopKind.Event) : null;
        }
        if (status.IsSyscallStop && _onSyscallExit == null && WaitsForWord)
        {
            // The entry or exit of a syscall the search waits through (AwaitsWord): it looks again at the next settling.
            return null;
        }
        if (status.IsSyscallStop)
        {
            var exit = _onSyscallExit ?? throw Diverged("an unexpected syscall-exit stop");
            _onSyscallExit = null;
            exit();
            return step || _steppingOver != null ? null : new ReplayStop(ReplayStopKind.Event);
        }
        if (status.PtraceEvent == 0)
        {
            return OnSignal(status.StopSignal, step);
        }
        if (status.IsEvent(WaitStatus.EventClone) && _onSyscallExit != null)
        {
            // The thread or process the program creates again (ReplayKind.Clone, CreateProcess) starts in a
            // PTRACE_EVENT_STOP; by then the kernel wrote the tid words the flags ask for, which the syscall's exit rewrites.
            int child = (int)_tracee.GetEventMessage();
            _cloned = _creating ? Rewind.Tracee.Adopt(child) : _tracee.AdoptThread(child);
            if (!_cloned.Wait().Stopped)
            {
                throw Diverged($"the {(_creating ? "process" : "thread")} created again did not start");
            }
        }
        // Other ptrace events (a group-stop): nothing of the program's.
        return null;
    }

    /// <summary>
    /// A call the thread stopped at only for its signal state, which replay puts back after its
    /// traps (<see cref="ThreadSignals"/>): no event, nor a stop of the program's. It runs to its
    /// exit at once, so that nothing looks at the thread inside it (a place searched there would be
    /// compared with the registers of a call not yet made); a step (a user's, or off a breakpoint)
    /// ends there, as a step over any syscall does (user_single_step_report).
    /// </summary>
    private ReplayStop? FinishFollowedCall(in Registers entry, bool step)
    {
        var overwritten = entry.SyscallNumber == Nr.rt_sigreturn ? _foreignFrames?.ToHere(_tracee, entry) : null;
        _tracee.Resume(step || _steppingOver != null ? Rewind.Resume.Step : Rewind.Resume.Syscall);
        var status = _tracee.Wait();
        if (overwritten is { } stack && !status.Exited && !status.Signaled)
        {
            // The frame is read: the stack below the handler's is as the recording left it.
            _tracee.Write(stack.At, stack.Bytes);
        }
        return status.IsSyscallStop ? null : OnStop(status, step);
    }

    /// <summary>
    /// The thread in hand died. A thread other than the leader dies alone only by exit (see
    /// <see cref="ExitThread"/>); otherwise its process is ending: every other thread of it is
    /// reaped, the leader last, whose status is the process's and must be the recorded one.
    /// </summary>
    private ReplayStop OnExit(WaitStatus status)
    {
        var process = _thread.Process;
        _threads.Remove(_thread.Recorded);
        if (!ReferenceEquals(_tracee, process.Leader))
        {
            foreach (var t in ThreadsOf(process).Where(t => !t.Tracee.IsLeader))
            {
                t.Tracee.Wait();
            }
            status = process.Leader.Wait();
        }
        return ProcessEnded(process, status);
    }

    /// <summary><paramref name="process"/> is gone, its leader's status <paramref name="status"/>: it must be the recorded end.</summary>
    private ReplayStop ProcessEnded(ReplayProcess process, WaitStatus status)
    {
        var actual = ExitStatus.Of(status);
        var recorded = Expect<ExitEvent>($"the process {actual}");
        if (recorded.Tid.Value != process.Recorded)
        {
            throw Diverged($"expected the end of process {recorded.Tid}, got the end of process {process.Recorded} ({actual})");
        }
        if (recorded.Status.Code != actual.Code || recorded.Status.Signal != actual.Signal)
        {
            throw Diverged($"expected {recorded.Status}, got {actual}");
        }
        return ProcessGone(process, recorded.Status);
    }

    /// <summary>
    /// <paramref name="process"/> ended as recorded, its exit event next: its threads are
    /// forgotten. The replay is over once every process is, with the end of the process debugged.
    /// </summary>
    private ReplayStop ProcessGone(ReplayProcess process, ExitStatus status)
    {
        Forget(process);
        Advance();
        if (process.Recorded == _debugged)
        {
            _debuggedExit = status;
        }
        if (_threads.Count > 0)
        {
            // The thread in hand may be another process's (one killed while it waited stopped
            // where it was): that one stays in hand.
            return _threads.ContainsKey(_thread.Recorded) ? new ReplayStop(ReplayStopKind.Event) : HandOnFrom(_thread);
        }
        return new ReplayStop(ReplayStopKind.Exited, Exit: _debuggedExit ?? status);
    }

    private ReplayProcess ProcessOf(ExitEvent e) =>
        Processes.FirstOrDefault(p => p.Recorded == e.Tid.Value) ?? throw Diverged($"process {e.Tid} is to end, but it does not exist in replay");

    private IEnumerable<ReplayThread> ThreadsOf(ReplayProcess process) => _threads.Values.Where(t => t.Process == process);

    /// <summary>Kills <paramref name="process"/>, every thread of it reaped, and forgets it.</summary>
    private void Kill(ReplayProcess process)
    {
        Rewind.Tracee.KillProcess(process.Leader, ThreadsOf(process).Select(t => t.Tracee));
        Forget(process);
    }

    /// <summary>The threads of <paramref name="process"/>, which is gone, are no longer the session's; its origin is to reap it.</summary>
    private void Forget(ReplayProcess process)
    {
        process.Origin?.DeadCopies.Add(process.Leader.Tgid);
        foreach (var t in ThreadsOf(process).ToList())
        {
            _threads.Remove(t.Recorded);
        }
    }

    /// <summary>
    /// Runs the thread in hand through its exit syscall and waits until it is gone: the kernel
    /// clears its tid word and wakes its joiner as it goes, which the other threads must find done.
    /// The leader stays a zombie while others live (wait(2)); the last thread's end is the process's.
    /// </summary>
    private ReplayStop ExitThread()
    {
        var process = _thread.Process;
        bool last = ThreadsOf(process).Count() == 1;
        Advance();
        _tracee.Resume(Rewind.Resume.Continue);
        if (_tracee.IsLeader && !last)
        {
            _tracee.WaitUntilZombie();
            return HandOnFrom(_thread);
        }
        var status = _tracee.Wait();
        if (!status.Exited && !status.Signaled)
        {
            throw Diverged($"the thread was to exit, but it {status}");
        }
        if (!last)
        {
            return HandOnFrom(_thread);
        }
        // The last thread: the process ends with it, reported as its leader's death.
        _threads.Remove(_thread.Recorded);
        return ProcessEnded(process, _tracee.IsLeader ? status : process.Leader.Wait());
    }

    /// <summary>
    /// <paramref name="gone"/> has exited while others live: the thread in hand becomes the next
    /// event's (or the first alive, of the process debugged where it lives), so that the present
    /// always has a thread to show and fork.
    /// </summary>
    private ReplayStop HandOnFrom(ReplayThread gone)
    {
        _threads.Remove(gone.Recorded);
        var next = _next?.Event is { } e && _threads.ContainsKey(e.Tid) ? e.Tid : (Debugged.FirstOrDefault() ?? _threads.Values.First()).Recorded;
        SwitchTo(next);
        return new ReplayStop(ReplayStopKind.Event);
    }

    /// <summary>The next event, which must be a <typeparamref name="T"/>; otherwise the replay diverged.</summary>
    private T Expect<T>(string got) where T : TraceEvent =>
        _next?.Event as T ?? throw Diverged($"expected {Describe(_next?.Event)}, got {got}");

    private void Advance()
    {
        if (_next is { } done && _threads.TryGetValue(done.Event.Tid, out var thread))
        {
            thread.LastEvent = done;
            thread.Process.Cpu.Event(done.Event.Tid);
        }
        Previous = _next?.Event;
        _next = _events.MoveNext() ? _events.Current : null;
        EmptyTimeReads(Previous, _next?.Event);
    }

    /// <summary>
    /// Empties the page of time reads of the process of <paramref name="done"/>'s thread where the
    /// recorder took its log (<see cref="TimeReadPage"/>): at each stop of the thread that made an
    /// event, and where the thread's reads end its turn (the recorder took them at its stop in a
    /// call whose event comes at its exit, after other threads' events). Not between two reads of
    /// one thread, nor at the event after a read of its own before that event's stop is reached.
    /// </summary>
    private void EmptyTimeReads(TraceEvent? done, TraceEvent? next)
    {
        if (!_timeReadsLogged || done == null || !_threads.TryGetValue(done.Tid, out var thread))
        {
            return;
        }
        bool empties = done is SyscallEvent read && TimeReadPage.IsLogged(read)
            ? next == null || next.Tid != done.Tid
            : done is SyscallEvent or SyscallEntryEvent or SignalEvent or RdtscEvent or PreemptionEvent or NewProcessEvent;
        if (empties)
        {
            TimeReadPage.Clear(thread.Tracee, _syscallsHooked);
        }
    }

    private DivergenceException Diverged(string detail)
    {
        if (_placeMissed is { } missed && missed.Event == NextEvent)
        {
            detail += $"; the thread had the place's registers, but not {missed.What}";
        }
        return new(NextEvent, _threads.Count > 1 || _thread.Recorded != _trace.ProcessId ? $"(thread {_thread.Recorded}) {detail}" : detail);
    }

    internal static string Describe(TraceEvent? e) => e switch
    {
        null => "the end of the trace",
        SyscallEvent s => $"syscall {s.Name}",
        SignalEvent g => $"signal {Signal.Name(g.Signal)}",
        RdtscEvent => "rdtsc",
        ExecEvent => "an exec",
        ChildOutputEvent => "a child's output",
        ExitEvent x => $"the process {x.Status}",
        ProcessLeftEvent l => $"process {l.Tid} leaving the recording",
        NewProcessEvent p => $"the creation of process {p.Pid}",
        SyscallEntryEvent n => $"thread {n.Tid} entering syscall {SyscallTable.Name(n.Number)}",
        PreemptionEvent p => $"thread {p.Tid} preempted at {p.Registers.Pc}",
        CodePatchEvent c => $"the patch of syscall site {c.Writes[^1].Address}",
        _ => e.GetType().Name,
    };

    public void Dispose()
    {
        _closed = true;
        Interlocked.Increment(ref _freeRunGeneration);
        foreach (var process in Processes.ToList())
        {
            Kill(process);
        }
        _events.Dispose();
        _sharedFiles.Dispose();
    }
}
