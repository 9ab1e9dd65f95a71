namespace Rewind.Syscalls;

/// <summary>What replay does with a recorded syscall (shared/DESIGN.md §3).</summary>
public enum ReplayKind
{
    /// <summary>Reads or writes the world: skipped, its result and output memory come from the trace.</summary>
    Emulated,
    /// <summary>Changes only the tracee itself (exit): executed again, its result must match.</summary>
    Executed,
    /// <summary>
    /// mmap and shmat: anonymous memory is mapped again at the recorded address, file contents come
    /// from the trace; a file the program writes through, or a System V segment, is mapped from its stand-in.
    /// </summary>
    Mmap,
    /// <summary>mremap: executed again, moved to the recorded address.</summary>
    Mremap,
    /// <summary>shmdt: the mappings of the segment attached at the address are unmapped, found as the kernel finds them.</summary>
    Detach,
    /// <summary>brk: the heap is grown or shrunk with anonymous mappings at the recorded break.</summary>
    Brk,
    /// <summary>
    /// clone and clone3: a new thread (CLONE_THREAD) is created again, with the recorded tid written
    /// where the flags ask and returned; any other clone (a process, not recorded) is emulated.
    /// </summary>
    Clone,
    /// <summary>
    /// set_tid_address and set_robust_list: executed again, since the kernel acts on them when the
    /// thread exits (clearing the tid word, waking its joiner); the result is the recorded one.
    /// </summary>
    ThreadSetup,
    /// <summary>Cannot be recorded faithfully yet: recording stops with an error naming it.</summary>
    Unsupported,
}
