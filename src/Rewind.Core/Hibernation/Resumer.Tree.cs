using Rewind.Checkpoints;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

public static partial class Resumer
{
    /// <summary>
    /// The stub one process is restored into, and its threads: the stub, then those cloned into it.
    /// <paramref name="Parent"/> is the stub of its parent where that is resumed with it;
    /// <paramref name="Namespaced"/>, that it runs in a pid namespace of its own (<see cref="PidNamespace"/>).
    /// </summary>
    private sealed record ResumedStub(ResumePoint Point, List<Tracee> Threads, ResumedStub? Parent, bool Namespaced)
    {
        /// <summary>Its pid as we know it, which `rewind resume --detach` prints and a user can signal.</summary>
        public int Pid => Threads[0].Pid;

        /// <summary>Its pid as it knows it (getpid).</summary>
        public int OwnPid { get; } = Threads[0].OwnTid;

        /// <summary>
        /// What resume says of its pid: that it keeps it in a pid namespace of its own, and what it is
        /// outside; or that it has another, <paramref name="whyNew"/> where known, and resumed with its
        /// parent, what the parent sees: it holds the old one (a fork's result), which names no child of its now.
        /// </summary>
        public IEnumerable<string> PidNotes(string? whyNew)
        {
            int old = Point.Process.Pid;
            string where = Namespaced ? $" in a new pid namespace (pid {Pid} from outside)" : "";
            return (Namespaced, OwnPid == old, Parent) switch
            {
                (true, true, _) => [$"process {old} keeps its pid in a new pid namespace: from outside it is pid {Pid}"],
                (false, true, _) => [],
                (_, false, null) => [$"process {old} resumed as pid {OwnPid}{where}{(whyNew != null ? $" ({whyNew})" : "")}"],
                (_, false, { } parent) => [$"process {old} resumed as pid {OwnPid}{where}: its parent ({parent.Point.Process.Pid}) finds it by wait or waitpid(-1), not by waitpid({old}) or kill({old})"],
            };
        }
    }

    /// <summary>
    /// A stopped stub for each of <paramref name="points"/>, as their processes were related, each
    /// under its own pid where the kernel allows it (clone3's set_tid): in our pid namespace, or in
    /// <paramref name="pids"/>. A process whose parent is among them is forked from its parent's stub,
    /// before that stub becomes its parent: so it is that process's child, as the kernel had it (its
    /// wait4 and SIGCHLD find it), and in its group. The others are copies of a first stub: the first
    /// (the recording's first process <paramref name="firstPid"/> where the moment holds it, else the
    /// moment's first without its parent) is `rewind resume`'s child, leading a process group of its
    /// own, as a shell's job, which the others join; they are `rewind resume`'s children too, or in a
    /// pid namespace its init's. Parents come before their children, the first first.
    /// </summary>
    private static List<ResumedStub> StubTree(IReadOnlyList<ResumePoint> points, int firstPid, PidNamespace? pids)
    {
        var tree = new List<ResumedStub>();
        using var first = pids == null ? CheckpointRestore.SpawnStub() : null;
        try
        {
            for (var pending = points.ToList(); pending.Count > 0;)
            {
                var ready = pending.Where(p => !pending.Any(q => q.Process.Pid == p.Process.Parent)).OrderBy(p => p.Process.Pid == firstPid ? 0 : 1).ToList();
                foreach (var point in ready)
                {
                    var parent = tree.Find(s => s.Point.Process.Pid == point.Process.Parent);
                    int pid = point.Process.Pid;
                    var stub = parent != null ? parent.Threads[0].ForkChild(pid)
                        : pids?.ForkRoot(pid, tree.Count == 0) ?? first!.ForkSibling(pid);
                    tree.Add(new ResumedStub(point, [stub], parent, pids != null));
                    if (parent == null)
                    {
                        stub.InjectSyscallChecked("setpgid", Nr.setpgid, 0, tree.Count == 1 ? 0 : (ulong)tree[0].OwnPid);
                    }
                }
                pending.RemoveAll(ready.Contains);
            }
            return tree;
        }
        catch
        {
            tree.ForEach(s => s.Threads[0].Dispose());
            throw;
        }
    }
}
