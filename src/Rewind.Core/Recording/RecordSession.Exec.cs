using Rewind.Checkpoints;
using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    /// <summary>
    /// A new image is in place and no instruction of it has run: put a stand-in over the vDSO
    /// so time goes through syscalls (its reads logged in the page of time reads), trap rdtsc and CPUID, and save the image as a checkpoint. The first exec's is
    /// checkpoint 0, where every replay starts; a later exec by the program (or by any process it
    /// created) is logged after its execve, with its argv, and replay continues in a process
    /// restored from that checkpoint.
    /// </summary>
    private void OnExec()
    {
        var process = _current.Process;
        if (process.Execed)
        {
            // Under the tid that called it, where replay meets the execve.
            var entry = _current.SyscallEntry ?? throw new RewindException("an exec without its execve");
            _current.SyscallEntry = null;
            Log(entry, 0, [], _current.EntryPaths);
        }
        if (!_current.Tracee.IsLeader)
        {
            _current.TakeLeaderTid(process.Leader);
            process.Cpu.Hand(_current.Tid);
        }
        var tracee = _current.Tracee;
        tracee.FinishExec();
        if (_current.Filters.Count > 0)
        {
            // The program's filters stay; the page they let Rewind's syscalls through from goes with the old image.
            SyscallPage.Ensure(tracee);
        }
        // Before the image is saved: every replay from it has the same mappings.
        process.Scratch = ScratchPool.Map(tracee);
        // A new address space, with no protection key or seal; maybe another time namespace (TimeRead).
        process.ProtectionKeys = false;
        process.Sealed.Clear();
        process.SharesRecorderClocks = null;
        // The new image starts with no alternate stack, robust list or clear-child-tid word, and
        // with no handler (the mask and the signals ignored stay: execve(2)).
        _current.Signals.Exec();
        _current.AltStack = ThreadState.NoAltStack();
        _current.RobustList = default;
        _current.ClearChildTid = RemotePtr.Null;
        var argv = process.Execed ? CommandLineOf(tracee) : null;
        if (UnprivilegedSetId(tracee.Pid) is { } program)
        {
            _notes.Add($"process {process.Pid} exec'd {program} without its privileges: the kernel does not raise them under a tracer that may not (not root), so it runs as the user; run rewind as root to record it as it runs alone");
        }
        TimeReadPage.Map(tracee, filtered: _current.Filters.Count > 0);
        SyscallHookPage.Map(tracee);
        process.Sites = new SyscallSites();
        VdsoStandIn.Replace(tracee);
        TracingSetup.TrapTimeStampCounter(tracee);
        TrapCpuid(_current);
        // Checkpoint indexes follow the file order of their Checkpoint chunks: finish the pending one first.
        CollectCheckpoint(wait: true);
        int index = _checkpoints.Count;
        // The image is saved in place, whole, with the same machinery as the periodic checkpoints.
        // Of the first process alone, a replay starts from it; while others live, it holds this one alone.
        var state = WithThreads(_current, SnapshotState.Read(tracee, index, _log.Count, Now, ProcStatus.Read(tracee.Pid).StartBrk, r => r.IsRecorded))
            with { Moment = new CheckpointMoment(process.Pid, index, _processes.Count == 1 ? 1 : 0) };
        process.ProgramBreak = state.ProgramBreak;
        // An image of this process alone while others live resumes nothing: it has no process state.
        if (_processes.Count == 1)
        {
            WriteProcess(index, WithPendingSignals(CaptureProcess(_current, state.ProgramBreak), _current));
        }
        var summary = CheckpointPersister.Persist(_writer, _blobs, state, tracee.Pid, baseSnapshot: null, pauseMicros: 0);
        _checkpoints.Add(summary);
        if (process == _root)
        {
            ForkBaseSnapshot(state, summary);
        }
        if (process.Execed)
        {
            Append(new ExecEvent(_current.Tid, Now, index, argv));
        }
        process.Execed = true;
        ResumeAfterInjection();
    }

    /// <summary>
    /// A process's PTRACE_EVENT_EXEC, which comes under its pid whichever thread called execve: the
    /// kernel has ended every other thread, and the exec'ing one has taken the leader's tid
    /// (execve(2), de_thread); PTRACE_GETEVENTMSG gives its former tid (ptrace(2), "execve(2) under
    /// ptrace"). The stop is that thread's. The others are dropped now: a non-leader's death comes
    /// as a passenger's, the replaced leader's and the former tid's never do.
    /// </summary>
    private void OnExecReport(RecordedProcess process, WaitStatus status)
    {
        int former = (int)process.Leader.GetEventMessage();
        var execing = Thread(former) ?? throw new RewindException($"{process} exec'd from thread {former}, which is not recorded");
        if (_running?.Process == process && !ReferenceEquals(_running, execing))
        {
            _running = null;
            _interruptSent = false;
        }
        _threads.RemoveAll(t => t.Process == process && !ReferenceEquals(t, execing));
        OnThreadReport(execing, status);
    }

    /// <summary>
    /// The set-user-ID or set-group-ID program process <paramref name="pid"/> has just exec'd
    /// without taking its owner or group (execve(2): not under a tracer without CAP_SYS_PTRACE, nor
    /// with no_new_privs, which Rewind's filter needs without CAP_SYS_ADMIN); null for any other exec.
    /// </summary>
    private static string? UnprivilegedSetId(int pid)
    {
        string exe = new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";
        if (Interop.Stat($"/proc/{pid}/exe") is not { } file || !file.IsSetUserId && !file.IsSetGroupId)
        {
            return null;
        }
        // Uid: and Gid: give real, effective, saved and file-system ids.
        var status = File.ReadAllLines($"/proc/{pid}/status");
        uint Effective(string key) => uint.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
        return file.IsSetUserId && Effective("Uid:") != file.Owner || file.IsSetGroupId && Effective("Gid:") != file.Group ? exe : null;
    }

    /// <summary>The argv the new image was given, as its stack holds it at exec: argc, then argv[]'s pointers.</summary>
    private static string[] CommandLineOf(Tracee tracee)
    {
        var sp = tracee.GetRegisters().Sp;
        ulong argc = tracee.ReadUInt64(sp);
        var argv = new string[Math.Min(argc, 4096)];
        for (int i = 0; i < argv.Length; i++)
        {
            argv[i] = tracee.ReadCString(new RemotePtr(tracee.ReadUInt64(sp + 8 * (ulong)(i + 1))));
        }
        return argv;
    }
}
