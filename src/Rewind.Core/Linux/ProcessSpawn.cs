using System.Runtime.InteropServices;

namespace Rewind.Linux;

/// <summary>
/// Starts a process with posix_spawn: the runtime must never fork (shared/DESIGN.md §8). The
/// child starts with the signal mask rewind itself was started with, and every catchable signal
/// at its default, whatever the runtime set for itself, but those that rewind's own parent left
/// ignored: a program run from a shell's background job, or under nohup, ignores them without
/// rewind too (the mask and ignored dispositions survive fork and execve, signal(7)).
/// </summary>
internal static class ProcessSpawn
{
    /// <summary>
    /// The signals this process was started with ignored, as far as /proc tells it: SigIgn, less
    /// SIGPIPE, which the .NET runtime ignores itself (it leaves an inherited SIG_IGN of SIGINT
    /// and SIGQUIT in place, and handles none of the others a shell ignores).
    /// </summary>
    private static readonly ulong InheritedIgnored = Checkpoints.ProcStatus.Read(Environment.ProcessId).Ignored & ~(1UL << (Signal.SIGPIPE - 1));

    /// <summary>
    /// The signals this process was started blocked: the main thread's SigBlk, which the .NET
    /// runtime leaves as it found it (it blocks signals only in threads of its own).
    /// </summary>
    private static readonly ulong InheritedBlocked = Checkpoints.ProcStatus.Read(Environment.ProcessId).Blocked;

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="argv"/> and <paramref name="environment"/>,
    /// in process group <paramref name="processGroup"/>, or a new one it leads for 0
    /// (posix_spawnattr_setpgroup(3)); returns its pid. The program's process, asked with
    /// <paramref name="inheritedMask"/>, starts with rewind's own signal mask; our helper processes
    /// (a stub, the slice alarm's sleeper) with none blocked, since their signals must arrive.
    /// </summary>
    public static unsafe int Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, int processGroup, bool inheritedMask)
    {
        int pid;
        var allocations = new List<nint>();
        nint attr = Marshal.AllocHGlobal(Interop.SpawnAttrSize);
        nint blocked = Marshal.AllocHGlobal(Interop.SigsetSize);
        nint allSignals = Marshal.AllocHGlobal(Interop.SigsetSize);
        try
        {
            var mask = new Span<byte>((void*)blocked, Interop.SigsetSize);
            mask.Clear();
            BitConverter.TryWriteBytes(mask, inheritedMask ? InheritedBlocked : 0);
            // Reset every catchable signal to its default but those inherited ignored: the .NET
            // runtime ignores SIGPIPE, and ignored dispositions survive exec.
            var all = new Span<byte>((void*)allSignals, Interop.SigsetSize);
            all.Clear();
            BitConverter.TryWriteBytes(all, ~InheritedIgnored);
            SpawnCheck(Interop.posix_spawnattr_init(attr), "posix_spawnattr_init");
            SpawnCheck(Interop.posix_spawnattr_setpgroup(attr, processGroup), "posix_spawnattr_setpgroup");
            SpawnCheck(Interop.posix_spawnattr_setflags(attr, (short)(Interop.POSIX_SPAWN_SETSIGMASK | Interop.POSIX_SPAWN_SETSIGDEF | Interop.POSIX_SPAWN_SETPGROUP)), "posix_spawnattr_setflags");
            SpawnCheck(Interop.posix_spawnattr_setsigmask(attr, blocked), "posix_spawnattr_setsigmask");
            SpawnCheck(Interop.posix_spawnattr_setsigdefault(attr, allSignals), "posix_spawnattr_setsigdefault");

            byte* Utf8(string s)
            {
                nint p = Marshal.StringToCoTaskMemUTF8(s);
                allocations.Add(p);
                return (byte*)p;
            }
            byte** Vector(IReadOnlyList<string> items)
            {
                nint block = Marshal.AllocHGlobal((items.Count + 1) * sizeof(nint));
                allocations.Add(block);
                var v = (byte**)block;
                for (int i = 0; i < items.Count; i++)
                {
                    v[i] = Utf8(items[i]);
                }
                v[items.Count] = null;
                return v;
            }

            int err;
            using (AlternateStack.Lent())
            {
                err = Interop.posix_spawn(out pid, Utf8(path), 0, attr, Vector(argv), Vector(environment));
            }
            if (err != 0)
            {
                throw new ErrnoException("posix_spawn", err);
            }
            return pid;
        }
        finally
        {
            _ = Interop.posix_spawnattr_destroy(attr);
            Marshal.FreeHGlobal(attr);
            Marshal.FreeHGlobal(blocked);
            Marshal.FreeHGlobal(allSignals);
            foreach (nint p in allocations)
            {
                if (p != 0)
                {
                    Marshal.FreeCoTaskMem(p);
                }
            }
        }
    }

    /// <summary>
    /// An alternate signal stack for the spawning thread while it spawns, where it has none. The
    /// child inherits the thread's (posix_spawn clones with CLONE_VFORK, which keeps it), and
    /// execve clears the stack's address and size but not its flags (begin_new_exec), which the
    /// kernel writes into every signal frame (uc_stack.ss_flags): 0 after a thread with a stack,
    /// SS_DISABLE after one without. Part of the program's input, so it must not depend on the
    /// runtime rewind runs on: CoreCLR gives every thread a stack (it catches stack overflows
    /// there), NativeAOT none. Every process rewind starts begins as after a thread with one, as
    /// every trace so far was recorded; a trace recorded on Intel and replayed on AMD, whose
    /// frames are moved (ForeignFrames), diverged at its first signal inside a handler otherwise.
    /// </summary>
    private sealed unsafe class AlternateStack : IDisposable
    {
        private const int Size = 64 << 10;
        private readonly void* _memory;

        private AlternateStack(void* memory) => _memory = memory;

        /// <summary>A stack lent to the calling thread till disposed; null where it has one of its own.</summary>
        public static AlternateStack? Lent()
        {
            Interop.AltStack current;
            if (Interop.sigaltstack(null, &current) != 0 || (current.Flags & Interop.SS_DISABLE) == 0)
            {
                return null;
            }
            void* memory = NativeMemory.Alloc(Size);
            var lent = new Interop.AltStack { Sp = (nint)memory, Size = Size };
            if (Interop.sigaltstack(&lent, null) != 0)
            {
                NativeMemory.Free(memory);
                throw Interop.Error("sigaltstack");
            }
            return new AlternateStack(memory);
        }

        public void Dispose()
        {
            var none = new Interop.AltStack { Flags = Interop.SS_DISABLE };
            _ = Interop.sigaltstack(&none, null);
            NativeMemory.Free(_memory);
        }
    }

    private static void SpawnCheck(int err, string call)
    {
        if (err != 0)
        {
            throw new ErrnoException(call, err);
        }
    }

}
