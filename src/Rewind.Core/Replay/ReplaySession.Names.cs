using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Replay;

public sealed partial class ReplaySession
{
    private const ulong PR_SET_NAME = 15;
    private const int CommLength = 15;

    // The program's open /proc/…/comm files by descriptor, and the thread each names: a write
    // there renames it (pthread_setname_np of another thread opens /proc/self/task/TID/comm).
    private Dictionary<long, Tid> _commFiles = [];

    /// <summary>
    /// Follows a thread's name through an emulated syscall, as the kernel's comm changes:
    /// prctl(PR_SET_NAME) names the calling thread; a write to an open /proc/…/comm names the
    /// thread of that file (proc(5): the kernel takes at most 15 bytes; a shell's trailing newline
    /// is not part of the name here). The buffers are the tracee's, as the program wrote them.
    /// </summary>
    private void FollowName(SyscallEvent e)
    {
        if (Errno.IsError(e.Result))
        {
            return;
        }
        switch (e.Number)
        {
            case Nr.prctl when e.Args[0] == PR_SET_NAME:
                _thread.Name = _tracee.ReadCString(new RemotePtr(e.Args[1]), CommLength + 1);
                break;
            case Nr.open or Nr.openat:
                var path = _tracee.ReadCString(new RemotePtr(e.Number == Nr.open ? e.Args[0] : e.Args[1]));
                if (CommFileThread(path) is { } named)
                {
                    _commFiles[e.Result] = named;
                }
                break;
            case Nr.write when e.Result > 0 && _commFiles.TryGetValue((long)e.Args[0], out var tid) && _threads.TryGetValue(tid, out var thread):
                string name = _tracee.ReadCString(new RemotePtr(e.Args[1]), (int)Math.Min(e.Result, CommLength));
                thread.Name = name.Split('\n')[0];
                break;
            case Nr.close:
                _commFiles.Remove((long)e.Args[0]);
                break;
        }
    }

    /// <summary>
    /// The thread whose comm <paramref name="path"/> is: /proc/thread-self/comm, /proc/self/comm
    /// (the main thread's), /proc/{self,PID}/task/TID/comm, /proc/TID/comm; null for any other path.
    /// </summary>
    private Tid? CommFileThread(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["proc", .., "comm"])
        {
            return null;
        }
        Tid? process = parts[1] == "self" ? _trace.ProcessId : Number(parts[1]);
        return parts switch
        {
            [_, "thread-self", _] => _thread.Recorded,
            [_, _, _] => process,
            [_, _, "task", var task, _] when process == _trace.ProcessId => Number(task),
            _ => null,
        };

        static Tid? Number(string text) => int.TryParse(text, out int n) && n > 0 ? new Tid(n) : null;
    }
}
