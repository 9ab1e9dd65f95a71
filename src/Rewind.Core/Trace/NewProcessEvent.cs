namespace Rewind.Trace;

/// <summary>
/// The thread created a process (fork, vfork, or clone without CLONE_THREAD) whose pid, when
/// recorded, is <see cref="Pid"/>. Logged when the kernel reported the new process, inside the
/// creating syscall, before its result: the new process's events follow, named by its tids.
/// </summary>
public sealed record NewProcessEvent(Tid Tid, long Time, int Pid) : TraceEvent(Tid, Time);
