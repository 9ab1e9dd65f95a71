using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Hibernation;

/// <summary>
/// Where resumed processes have their own pids and tids back (docs/hibernation.md, "Pids and
/// tids"): here, by clone3's set_tid, where rewind may choose pids (CAP_CHECKPOINT_RESTORE or
/// CAP_SYS_ADMIN in the user namespace that owns our pid namespace) and each is free; else in a pid
/// namespace of their own (<see cref="PidNamespace"/>) where one can be made; else nowhere: they
/// get new ones, and resume says so. glibc keeps each thread's tid in its thread descriptor, so a
/// program resumed under new ids may signal or check a tid that is no longer its own.
/// </summary>
public static class KeptPids
{
    private const int CAP_SYS_ADMIN = 21, CAP_CHECKPOINT_RESTORE = 40;

    /// <summary>Why the processes of <paramref name="points"/> cannot have their pids and tids back in our pid namespace; null where they can.</summary>
    public static string? WhyNotHere(IReadOnlyList<ResumePoint> points)
    {
        const ulong choosing = 1UL << CAP_SYS_ADMIN | 1UL << CAP_CHECKPOINT_RESTORE;
        if ((ProcStatus.Capabilities(Environment.ProcessId) & choosing) == 0 || !Interop.OwnPidNamespace())
        {
            return "rewind may not choose pids here without CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN";
        }
        var taken = Taken(points.SelectMany(p => p.Process.Threads.Select(t => t.Tid).Prepend(p.Process.Pid)).Distinct());
        return taken.Count switch
        {
            0 => null,
            1 => $"{taken[0]} is taken here",
            _ => $"{string.Join(", ", taken)} are taken here",
        };
    }

    /// <summary>
    /// The ids among <paramref name="wanted"/> that the kernel would not give again (set_tid: EEXIST):
    /// a process's or a thread's (a tid has a /proc entry as a pid has, listed or not), or one a
    /// process group or session holds after its leader ended (a pipeline's other commands, zombies
    /// of its forks), which only its members' stat shows.
    /// </summary>
    private static List<int> Taken(IEnumerable<int> wanted)
    {
        var held = new HashSet<int>();
        foreach (int pid in ProcStatus.Processes())
        {
            if (ProcStatus.GroupAndSession(pid) is (int group, int session))
            {
                held.Add(group);
                held.Add(session);
            }
        }
        return wanted.Where(id => held.Contains(id) || Directory.Exists($"/proc/{id}")).ToList();
    }

    /// <summary>What `rewind check` says of the pids and tids of <paramref name="points"/>: where they will be kept, or why they will not be.</summary>
    public static string Forecast(IReadOnlyList<ResumePoint> points)
    {
        if (WhyNotHere(points) is not { } notHere)
        {
            return "kept: each is free here, and rewind may choose it";
        }
        return PidNamespace.Refusal() is { } refusal ? $"new ones: {Neither(notHere, refusal)}" : $"kept in a new pid namespace: {notHere}";
    }

    /// <summary>Why the pids are kept neither here (<paramref name="notHere"/>) nor in a pid namespace (<paramref name="refusal"/>).</summary>
    public static string Neither(string notHere, string refusal) => $"{notHere}, and {refusal}";
}
