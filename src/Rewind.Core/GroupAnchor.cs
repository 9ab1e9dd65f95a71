using Rewind.Linux;

namespace Rewind;

/// <summary>
/// A process that only makes a process group for the recorded program to join. Started without
/// rewind, the program would lead a group of its own where rewind leads one (a shell's job, a
/// pipeline's first command), and otherwise sit in its parent's group without leading any (run
/// by a script, a pipeline's later command, another program): there setsid(2) works, while a
/// group leader is refused it (EPERM), and getpgrp(2) is not its pid. The program still needs a
/// group apart from rewind's (<see cref="ProgramGroup"/>): where rewind leads none, the anchor
/// leads a new one, the program's first process joins it, and the anchor ends. A group lives on
/// without its leader while it has members, its id reserved (setpgid(2), credentials(7)).
/// </summary>
internal sealed class GroupAnchor : IDisposable
{
    private GroupAnchor(int pid) => Pgid = pid;

    /// <summary>The group the anchor made.</summary>
    public int Pgid { get; }

    /// <summary>
    /// An anchor, stopped in the group it leads, where rewind leads no group (it is in its
    /// parent's); null where rewind leads its own, and the program should lead one too.
    /// </summary>
    public static GroupAnchor? ForProgram()
    {
        if (Interop.getpgrp() == Interop.getpid())
        {
            return null;
        }
        int pid = ProcessSpawn.Start("/bin/sh", ["sh", "-c", "kill -STOP $$"], [], processGroup: 0, inheritedMask: false);
        int r = Interop.waitpid(pid, out int raw, Interop.WUNTRACED);
        if (r != pid || !new WaitStatus(raw).Stopped)
        {
            throw new RewindException($"the process group's anchor did not stop as expected ({new WaitStatus(raw)})");
        }
        return new GroupAnchor(pid);
    }

    /// <summary>Ends the anchor once the program's first process is in its group, which outlives it.</summary>
    public void Dispose()
    {
        _ = Interop.kill(Pgid, Signal.SIGKILL);
        _ = Interop.waitpid(Pgid, out _, 0);
    }
}
