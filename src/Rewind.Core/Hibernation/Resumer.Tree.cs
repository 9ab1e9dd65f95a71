using Rewind.Checkpoints;
using Rewind.Syscalls;

namespace Rewind.Hibernation;

public static partial class Resumer
{
    /// <summary>
    /// The stub one process is restored into, and its threads: the stub, then those cloned into it.
    /// <paramref name="Parent"/> is the stub of its parent where that is resumed with it.
    /// </summary>
    private sealed record ResumedStub(ResumePoint Point, List<Tracee> Threads, ResumedStub? Parent)
    {
        public int Pid => Threads[0].Pid;

        /// <summary>
        /// That the process has another pid now; and, resumed with its parent, what the parent sees:
        /// it holds the old one (a fork's result), which names no child of its now.
        /// </summary>
        public IEnumerable<string> Renamed => Pid == Point.Process.Pid ? []
            : Parent == null ? [$"process {Point.Process.Pid} resumed as pid {Pid}"]
            : [$"process {Point.Process.Pid} resumed as pid {Pid}: its parent ({Parent.Point.Process.Pid}) finds it by wait or waitpid(-1), not by waitpid({Point.Process.Pid}) or kill({Point.Process.Pid})"];
    }

    /// <summary>
    /// A stopped stub for each of <paramref name="points"/>, as their processes were related, each
    /// under its own pid where the kernel allows it (clone3's set_tid). A process whose parent is
    /// among them is forked from its parent's stub, before that stub becomes its parent: so it is
    /// that process's child, as the kernel had it (its wait4 and SIGCHLD find it), and in its
    /// group. The others are children of `rewind resume`, the first (the recording's first process
    /// <paramref name="firstPid"/> where the moment holds it, else the moment's first without its
    /// parent) leading a process group of its own, as a shell's job, which the others join.
    /// Parents come before their children, the first first.
    /// </summary>
    private static List<ResumedStub> StubTree(IReadOnlyList<ResumePoint> points, int firstPid)
    {
        var tree = new List<ResumedStub>();
        try
        {
            for (var pending = points.ToList(); pending.Count > 0;)
            {
                var ready = pending.Where(p => !pending.Any(q => q.Process.Pid == p.Process.Parent)).OrderBy(p => p.Process.Pid == firstPid ? 0 : 1).ToList();
                foreach (var point in ready)
                {
                    var parent = tree.Find(s => s.Point.Process.Pid == point.Process.Parent);
                    var stub = parent != null ? parent.Threads[0].ForkChild(point.Process.Pid)
                        : KeepingPid(CheckpointRestore.SpawnStub(), point.Process.Pid, tree.Count == 0 ? 0 : tree[0].Pid);
                    tree.Add(new ResumedStub(point, [stub], parent));
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

    /// <summary>
    /// The stub moved to the process's own pid where the kernel allows it (root, and the pid
    /// free): a copy made with clone3's set_tid, still our child (CLONE_PARENT). glibc keeps each
    /// thread's tid in its thread descriptor, so a program resumed under new ids may signal or
    /// check a tid that is no longer its own. It goes into process group <paramref name="group"/>,
    /// or one of its own for 0.
    /// </summary>
    private static Tracee KeepingPid(Tracee stub, int pid, int group)
    {
        Tracee? copy;
        try
        {
            copy = stub.ForkWithPid(pid);
        }
        catch
        {
            stub.Dispose();
            throw;
        }
        if (copy != null)
        {
            stub.Dispose();
        }
        var process = copy ?? stub;
        try
        {
            // A stub leads a group of its own; its copy is in ours.
            if (copy != null || group != 0)
            {
                process.InjectSyscallChecked("setpgid", Nr.setpgid, 0, (ulong)group);
            }
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }
}
