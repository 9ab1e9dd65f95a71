namespace Rewind.Syscalls;

/// <summary>What replay does with a recorded syscall (shared/DESIGN.md §3).</summary>
public enum ReplayKind
{
    /// <summary>Reads or writes the world: skipped, its result and output memory come from the trace.</summary>
    Emulated,
    /// <summary>Changes only the tracee itself (exit): executed again, its result must match.</summary>
    Executed,
    /// <summary>mmap: anonymous memory is mapped again at the recorded address, file contents come from the trace.</summary>
    Mmap,
    /// <summary>mremap: executed again, moved to the recorded address.</summary>
    Mremap,
    /// <summary>brk: the heap is grown or shrunk with anonymous mappings at the recorded break.</summary>
    Brk,
    /// <summary>Cannot be recorded faithfully yet: recording stops with an error naming it.</summary>
    Unsupported,
}
