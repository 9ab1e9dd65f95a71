using Iced.Intel;
using Rewind.Linux;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    /// <summary>How long a thread runs while others wait before it is preempted.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How much longer a thread whose slice is over may run to reach an event, where it gives way
    /// at a place the log names anyway; only then is it preempted (a preemption costs replay a
    /// search for its place).
    /// </summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(10);

    /// <summary>How soon to try again when a preemption stopped a thread where it cannot be switched (inside a syscall or a rep string instruction).</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(1);

    /// <summary>How many instructions a preempted thread may be stepped on to reach a place a probe can find (<see cref="PlaceProbe"/>).</summary>
    private const int MaxStepsTowardsPlace = 32;

    private readonly List<RecordedThread> _threads = [];
    private readonly List<RecordedProcess> _processes = [];
    private readonly Dictionary<int, WaitStatus> _unclaimed = [];
    // The program's first process; its end is the recording's, logged with the others'.
    private RecordedProcess _root = null!;
    private ExitStatus? _rootExit;
    // The thread whose stop is handled or which runs: the events logged are its.
    private RecordedThread _current = null!;
    // The thread running its own code, if any; no other does.
    private RecordedThread? _running;
    private TimeSpan _sliceStart;
    private TimeSpan _graceEnd;
    private bool _sliceOver;
    private bool _interruptSent;
    // Single steps taken from a preemption's first stop towards a place a probe fits.
    private int _stepsTowardsPlace;
    private SliceAlarm? _alarm;

    private RecordedThread? Thread(int tid) => _threads.Find(t => t.Tracee.Pid == tid);

    /// <summary>
    /// The thread to handle or run next: the one in hand while its slice lasts or nobody else is
    /// ready, or while it is inside a syscall (the entry is logged with the result, at the exit),
    /// its last stop logged nothing, or it is <see cref="RecordedThread.Dying"/>;
    /// else the next ready one in creation order. None while a thread is exiting: its end (the
    /// kernel clearing its tid word) must come before anything else runs.
    /// </summary>
    private RecordedThread? NextToRun()
    {
        if (_threads.Any(t => t.Exiting))
        {
            return null;
        }
        bool othersReady = _threads.Any(t => t.IsReady && !ReferenceEquals(t, _current));
        bool stays = _current.Dying || !_current.AtEvent || _current.SyscallEntry != null || !othersReady || !_sliceOver && _clock.Elapsed - _sliceStart < Slice;
        if (_current.IsReady && _threads.Contains(_current) && stays)
        {
            return _current;
        }
        int at = _threads.IndexOf(_current);
        for (int i = 1; i <= _threads.Count; i++)
        {
            var t = _threads[(at + i + _threads.Count) % _threads.Count];
            if (t.IsReady)
            {
                return t;
            }
        }
        return null;
    }

    /// <summary>Handles the thread's pending stop, or lets it run on as its last stop decided.</summary>
    private void RunOrHandle(RecordedThread thread)
    {
        SwitchTo(thread);
        if (thread.Pending is { } status)
        {
            thread.Pending = null;
            OnStop(status);
            return;
        }
        var (how, signal) = thread.Parked!.Value;
        thread.Parked = null;
        thread.AtEvent = false;
        thread.Dying = false;
        try
        {
            thread.Tracee.Resume(how, signal);
        }
        catch (ErrnoException e) when (e.Errno == Errno.ESRCH)
        {
            // Killed meanwhile (a fatal signal or exit_group of another thread): its death report follows.
            return;
        }
        _running = thread;
        if (_threads.Count > 1 && _threads.Any(t => t.IsReady))
        {
            ArmSliceEnd();
        }
    }

    /// <summary>
    /// Another thread can run now (its stop came, a blocking syscall of it returned, say) while
    /// one runs: the alarm must ring when the running one's slice ends, or one that spins
    /// without a syscall would keep the others waiting for ever.
    /// </summary>
    private void OnReady(RecordedThread thread)
    {
        if (_running != null && !ReferenceEquals(thread, _running))
        {
            ArmSliceEnd();
        }
    }

    /// <summary>Wakes the tracer when the running thread's slice (or its grace) ends, unless the alarm is set already.</summary>
    private void ArmSliceEnd()
    {
        var left = (_sliceOver ? _graceEnd : _sliceStart + Slice) - _clock.Elapsed;
        Alarm().Arm(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>
    /// Makes <paramref name="thread"/> the one in hand. The one left behind may be in the kernel
    /// since a syscall's entry; its entry goes into the log now, before anything of the next one,
    /// so replay runs its code up to the syscall in the same place among the others' (unless it
    /// is gone: nothing of it runs again).
    /// </summary>
    private void SwitchTo(RecordedThread thread)
    {
        if (ReferenceEquals(thread, _current))
        {
            return;
        }
        if (_current.EntryUnlogged && _current.SyscallEntry is { } entry && _threads.Contains(_current))
        {
            LogEntry(_current, entry);
        }
        thread.Process.Cpu.Hand(thread.Tid);
        _current = thread;
        _sliceStart = _clock.Elapsed;
        _sliceOver = false;
        _interruptSent = false;
        ForgetPlaceSteps();
    }

    /// <summary>Logs the entry of the syscall <paramref name="thread"/> is in (a syscall entry event): replay runs its code up to the call there, and enters the call with its result.</summary>
    private void LogEntry(RecordedThread thread, in Registers entry)
    {
        Append(new SyscallEntryEvent(thread.Tid, Now, entry.SyscallNumber, entry.Args(), new RemotePtr(entry.Rip)));
        thread.EntryUnlogged = false;
    }

    /// <summary>How the thread in hand goes on once scheduled.</summary>
    private void Go(Resume how, int signal = 0) => _current.Parked = (how, signal);

    /// <summary>Lets the thread in hand into the kernel for a syscall that may block: others run meanwhile.</summary>
    private void EnterBlocking()
    {
        _current.ExtendedStateInKernel = _current.Tracee.GetExtendedState();
        _current.Tracee.Resume(Resume.Syscall);
        _current.InKernel = true;
    }

    /// <summary>The thread in hand gives way (sched_yield): the next ready one runs.</summary>
    private void Yield() => _sliceOver = true;

    private SliceAlarm Alarm() => _alarm ??= new SliceAlarm();

    /// <summary>
    /// A slice (or its grace) ended while others wait: the running thread gives way at its next
    /// event, or, once the grace is over too, is stopped where it is (its stop comes as an
    /// interrupt); inside a syscall, at the syscall's exit.
    /// </summary>
    private void OnSliceAlarm()
    {
        if (_running is not { } running || _interruptSent || !_threads.Any(t => t.IsReady && !ReferenceEquals(t, running)))
        {
            return;
        }
        if (running.SyscallEntry != null)
        {
            // Inside a syscall that runs alone (a write to stdout waiting for its reader, say): an
            // interrupt would only make the kernel restart it. The thread gives way at its exit.
            return;
        }
        var now = _clock.Elapsed;
        if (!_sliceOver && now - _sliceStart >= Slice)
        {
            _sliceOver = true;
            _graceEnd = now + Grace;
        }
        if (!_sliceOver || now < _graceEnd)
        {
            ArmSliceEnd();
            return;
        }
        running.Tracee.Interrupt();
        _interruptSent = true;
    }

    /// <summary>
    /// The running thread stopped for our PTRACE_INTERRUPT, or after a step towards a better place.
    /// Where its place can be found again, it is logged as a preemption and another thread runs;
    /// inside a syscall or on a syscall instruction (<see cref="InSyscall"/>) or a rep string
    /// instruction (the pc alone does not say which iteration), it runs on and is stopped again a
    /// little later. Where the
    /// instruction is too short for replay's probe, the thread is stepped on a few instructions to
    /// one that is long enough: replay then finds the place at nearly the program's own speed.
    /// </summary>
    private void OnInterrupted()
    {
        _interruptSent = false;
        Go(Resume.Continue);
        var regs = _current.Tracee.GetRegisters();
        if (!_threads.Any(t => t.IsReady && !ReferenceEquals(t, _current)))
        {
            return;
        }
        if (InSyscall(_current.Tracee, regs) || StringInstruction.IsRepeatedAt(_current.Tracee, regs.Pc))
        {
            _lap = null;
            Alarm().Arm(Retry);
            return;
        }
        if (_lap != null)
        {
            GoRound(regs);
        }
        else if (!StepTowardsPlace(regs) && !StartLap(regs))
        {
            Preempt(regs);
        }
    }

    /// <summary>
    /// Where the thread in hand stopped on an instruction too short for replay's probe, steps it
    /// one instruction on towards one that is long enough (at most <see cref="MaxStepsTowardsPlace"/>,
    /// never over a syscall or an rdtsc); returns whether it does. A preemption and an asynchronous
    /// signal are logged at the place reached: replay then finds it at nearly the program's own speed.
    /// Not for a signal where the step's SIGTRAP resets an action of the program's: the signal is
    /// delivered from the step's stop, where no syscall may set the action again first (ThreadSignals.PutBack).
    /// </summary>
    private bool StepTowardsPlace(in Registers regs)
    {
        // Never a place between a logged time read's syscall and the end of its log entry: stepped past it, however far.
        bool inEntry = TimeReadPage.IsInEntry(regs.Pc.Value);
        if (PlaceProbe.Decode(_current.Tracee, regs.Pc) is not { } instruction
            || !inEntry && (PlaceProbe.Fits(_current.Tracee, instruction) || _stepsTowardsPlace >= MaxStepsTowardsPlace) || !StepsPlainly(instruction)
            || _current.HeldSignals.Count > 0 && _current.Signals.ForcingResetsAction(Signal.SIGTRAP))
        {
            return false;
        }
        _stepsTowardsPlace++;
        // No interrupt while stepping: the step's stop comes back to the one who stepped.
        _interruptSent = true;
        Go(Resume.Step);
        return true;
    }

    /// <summary>Whether the thread's SIGTRAP is the end of our single step.</summary>
    private static bool IsStepTrap(Tracee tracee) => BitConverter.ToInt32(tracee.GetSignalInfo(), 8) == Signal.TrapTrace;

    /// <summary>Whether a single step runs <paramref name="i"/> as the program would, with nothing of ours to record (no syscall, no trapped rdtsc).</summary>
    private static bool StepsPlainly(in Instruction i) =>
        i.FlowControl is FlowControl.Next or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch
            or FlowControl.IndirectBranch or FlowControl.Call or FlowControl.IndirectCall or FlowControl.Return
        && i.Mnemonic is not (Mnemonic.Syscall or Mnemonic.Sysenter or Mnemonic.Rdtsc or Mnemonic.Rdtscp);

    /// <summary>
    /// Logs the thread in hand's place, registers and stack digest, the CPU time it used since its
    /// last event, and the words a lap of its loop writes where its laps repeat the place; the next ready thread runs.
    /// </summary>
    private void Preempt(in Registers regs, IReadOnlyList<MemoryWord>? loopWords = null)
    {
        ulong ran = (ulong)_current.Process.Cpu.SinceEvent(_current.Tid);
        Append(new PreemptionEvent(_current.Tid, Now, regs, StackDigest.Of(_current.Tracee, regs.Sp), ran, loopWords));
        _sliceOver = true;
        ForgetPlaceSteps();
    }

    /// <summary>Forgets the steps taken towards a place and the lap gone round there.</summary>
    private void ForgetPlaceSteps()
    {
        _stepsTowardsPlace = 0;
        _lap = null;
        _lapTried = false;
    }

    /// <summary>
    /// Stopped inside a syscall, or about to make one: on the way out of one that the kernel will
    /// restart (rax holds -ERESTART*, orig_rax the call), or on a syscall instruction. There the
    /// thread may be back on the instruction of a call the kernel restarted, rcx still holding the
    /// address after it, which the program's own first arrival there does not show; or about to
    /// make a call that runs untraced (munmap), which no probe fits and no event marks, so a free
    /// run could pass it. Either way the thread runs on into the call.
    /// </summary>
    private static bool InSyscall(Tracee tracee, in Registers regs)
    {
        if ((long)regs.OrigRax >= 0 && Errno.IsRestart(regs.Result))
        {
            return true;
        }
        Span<byte> at = stackalloc byte[2];
        return tracee.Read(regs.Pc, at) == 2 && at[0] == 0x0f && at[1] == 0x05;
    }

    /// <summary>Exits the thread in hand: it is gone (or, the leader, a zombie) before anything else runs.</summary>
    private void ExitThread()
    {
        var thread = _current;
        thread.Tracee.Resume(Resume.Continue);
        if (_threads.Count(t => t.Process == thread.Process) == 1)
        {
            // The last thread: the process ends, and its leader's death is what waitpid reports.
            thread.Exiting = true;
            return;
        }
        if (thread.Tracee.IsLeader)
        {
            thread.Tracee.WaitUntilZombie();
            _threads.Remove(thread);
            return;
        }
        thread.Exiting = true;
    }
}
