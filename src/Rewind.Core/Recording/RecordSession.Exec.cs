using Rewind.Checkpoints;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    private const ulong AT_NULL = 0, AT_IGNORE = 1, AT_SYSINFO_EHDR = 33;

    /// <summary>
    /// A new image is in place and no instruction of it has run: hide the vDSO so time goes
    /// through syscalls, trap rdtsc, and save the image as a checkpoint. The first exec's is
    /// checkpoint 0, where every replay starts; a later exec by the program is logged after its
    /// execve, and replay continues in a process restored from that checkpoint.
    /// </summary>
    private void OnExec()
    {
        _tracee.FinishExec();
        if (_execed)
        {
            var entry = _syscallEntry ?? throw new RewindException("an exec without its execve");
            _syscallEntry = null;
            Log(entry, 0, []);
        }
        HideVdso();
        TracingSetup.TrapTimeStampCounter(_tracee);
        // Checkpoint indexes follow the file order of their Checkpoint chunks: finish the pending one first.
        CollectCheckpoint(wait: true);
        int index = _checkpoints.Count;
        // The image is saved in place, whole, with the same machinery as the periodic checkpoints.
        var state = SnapshotState.Read(_tracee, index, _log.Count, Now, ProcStatus.Read(_tracee.Pid).StartBrk);
        _programBreak = state.ProgramBreak;
        var summary = CheckpointPersister.Persist(_writer, _blobs, state, _tracee.Pid, baseSnapshot: null, pauseMicros: 0);
        _checkpoints.Add(summary);
        ForkBaseSnapshot(summary);
        if (_execed)
        {
            _log.Append(new ExecEvent(_tracee.Tid, Now, index));
        }
        _execed = true;
        ResumeAfterInjection();
    }

    /// <summary>
    /// Rewrites the auxv entry AT_SYSINFO_EHDR to AT_IGNORE, so glibc finds no vDSO and makes real
    /// clock_gettime/gettimeofday/time/getcpu syscalls, which are logged (DESIGN.md §3, §7).
    /// At exec the stack holds argc, argv[], NULL, envp[], NULL, then the auxv pairs.
    /// </summary>
    private void HideVdso()
    {
        var sp = _tracee.GetRegisters().Sp;
        ulong argc = _tracee.ReadUInt64(sp);
        var p = sp + 8 * (argc + 2);
        for (int i = 0; i < 1 << 20 && _tracee.ReadUInt64(p) != 0; i++)
        {
            p += 8;
        }
        p += 8;
        for (int i = 0; i < 64; i++, p += 16)
        {
            ulong type = _tracee.ReadUInt64(p);
            if (type == AT_NULL)
            {
                return;
            }
            if (type == AT_SYSINFO_EHDR)
            {
                _tracee.Write(p, BitConverter.GetBytes(AT_IGNORE));
            }
        }
    }
}
