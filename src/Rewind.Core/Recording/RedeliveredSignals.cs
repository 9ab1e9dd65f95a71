using Rewind.Checkpoints;
using Rewind.Linux;

namespace Rewind.Recording;

/// <summary>
/// Signals the recorder took from a thread (held back while it stepped, or while syscalls of ours
/// ran in it, or pending where a trap's signal came) and sent it again with tgkill, each with the
/// siginfo it came with, which its copy gets back when it comes: a copy is told by tgkill's own
/// siginfo (SI_TKILL from the recorder). The kernel queues every instance of a real-time signal,
/// oldest first, and keeps at most one pending instance of a standard signal, a second merging
/// into it (signal(7)): so real-time copies take the siginfos kept for their number in order, and
/// none is lost; a standard signal's copy sent while one is pending is not sent, and whichever
/// comes ends what is kept for it. A copy the program never takes (ignored while pending, or taken
/// by sigwaitinfo) leaves what is kept for it behind until the next copy finds none pending.
/// </summary>
internal sealed class RedeliveredSignals
{
    private const int SI_TKILL = -6;

    // The siginfos of the copies not come yet, by signal, oldest first.
    private readonly Dictionary<int, Queue<byte[]>> _kept = [];

    /// <summary>Sends the signal of <paramref name="info"/> to <paramref name="t"/> again, to come with <paramref name="info"/>.</summary>
    public void Send(Tracee t, byte[] info)
    {
        int signal = BitConverter.ToInt32(info, 0);
        var status = ProcStatus.ReadThread(t.Tgid, t.Pid);
        bool pending = ((status.Pending | status.SharedPending) & 1UL << (signal - 1)) != 0;
        if (!pending)
        {
            // Any copy sent before is gone, and what was kept for it with it.
            _kept.Remove(signal);
        }
        else if (!Signal.IsRealTime(signal) && _kept.ContainsKey(signal))
        {
            // The copy sent before is pending: this instance merges into it.
            return;
        }
        if (!_kept.TryGetValue(signal, out var queue))
        {
            _kept[signal] = queue = new();
        }
        queue.Enqueue(info);
        t.SendSignal(signal);
    }

    /// <summary>Gives the signal <paramref name="t"/> stopped for its siginfo back, if it is a copy sent again.</summary>
    public void GiveBack(Tracee t, int signal)
    {
        if (!_kept.TryGetValue(signal, out var queue))
        {
            return;
        }
        bool copy = IsCopy(t.GetSignalInfo());
        if (copy)
        {
            t.SetSignalInfo(queue.Dequeue());
        }
        if (queue.Count == 0 || !Signal.IsRealTime(signal))
        {
            // A standard signal's copy came, or merged into the instance that came.
            _kept.Remove(signal);
        }
    }

    /// <summary>Whether <paramref name="info"/> is tgkill's, from the recorder (si_pid at 16).</summary>
    private static bool IsCopy(byte[] info) => BitConverter.ToInt32(info, 8) == SI_TKILL && BitConverter.ToInt32(info, 16) == Environment.ProcessId;
}
