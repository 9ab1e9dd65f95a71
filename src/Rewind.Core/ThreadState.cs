namespace Rewind;

/// <summary>
/// One thread's state as the kernel holds it, enough to recreate the thread in a copy of its
/// process: registers (fs_base included), FPU/AVX state, blocked signals, its sigaltstack
/// (a stack_t, 24 bytes), its robust futex list and its clear-child-tid word.
/// </summary>
public sealed record ThreadState(
    Registers Registers, byte[] ExtendedState, ulong BlockedSignals, byte[] AltStack, ulong RobustList, ulong RobustListLength, RemotePtr ClearChildTid)
{
    /// <summary>The stack_t of a thread with no alternate signal stack (ss_flags SS_DISABLE), as a new thread and exec leave it.</summary>
    public static byte[] NoAltStack() => [0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
}
