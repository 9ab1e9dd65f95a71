using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

/// <summary>
/// The program's output, and its children's on the same stdout and stderr, logged in the order it
/// was written: one write at a time is let through to those streams, and it is logged at its
/// exit before the next one starts. The program's threads are recorded at every syscall anyway;
/// its children (unrecorded passengers) stop at theirs only because of the seccomp filter they
/// inherit, which is what lets a child's write wait for its turn.
/// </summary>
public sealed partial class RecordSession
{
    /// <summary>The children's writes under way (entered, not yet exited), by pid, with their entry registers and stream.</summary>
    private readonly Dictionary<int, (Registers Entry, int Stream)> _passengerWrites = [];

    /// <summary>Children stopped at the entry of a write to the program's streams, in the order they came.</summary>
    private readonly Queue<(Tracee Passenger, Registers Entry, int Stream)> _waitingWrites = [];

    private bool WriteUnderWay => _passengerWrites.Count > 0 || _threads.Any(t => t.OutputStream != null);

    /// <summary>A thread of the program enters a syscall: one that writes to its streams waits for a child's write under way.</summary>
    private void BeforeThreadWrite(Registers entry)
    {
        if (Streams.StreamWritten(_current.Tid.Value, entry.SyscallNumber, entry.Args()) is not { } stream)
        {
            return;
        }
        _current.OutputStream = stream;
        while (_passengerWrites.Keys.FirstOrDefault() is var pid and not 0)
        {
            // Only that child's stops are taken; the kernel keeps everyone else's for the main loop.
            int r = Interop.waitpid(pid, out int raw, Interop.__WALL);
            if (r != pid)
            {
                _passengerWrites.Remove(pid);
                continue;
            }
            OnPassengerStop(pid, new WaitStatus(raw));
        }
    }

    /// <summary>The thread's write is logged: the children's waiting writes may go on.</summary>
    private void AfterThreadWrite()
    {
        if (_current.OutputStream != null)
        {
            _current.OutputStream = null;
            LetWaitingWritesRun();
        }
    }

    /// <summary>A child stopped at a syscall's entry: a write to the program's streams runs when its turn comes. Returns whether it was one.</summary>
    private bool OnPassengerWriteEntry(Tracee passenger)
    {
        var entry = passenger.GetRegisters();
        if (_recordingStopped || Streams.StreamWritten(passenger.Pid, entry.SyscallNumber, entry.Args()) is not { } stream)
        {
            return false;
        }
        _waitingWrites.Enqueue((passenger, entry, stream));
        LetWaitingWritesRun();
        return true;
    }

    /// <summary>A child's syscall exit, or its end (<paramref name="ended"/>): if it was writing to the program's streams, log what it wrote and let the next write go.</summary>
    private void OnPassengerWriteExit(Tracee passenger, bool ended)
    {
        if (!_passengerWrites.Remove(passenger.Pid, out var write))
        {
            return;
        }
        if (!ended && StandardStreams.Written(passenger, write.Stream, write.Entry.SyscallNumber, write.Entry.Args(), passenger.GetRegisters().Result) is { } output)
        {
            Append(new ChildOutputEvent(passenger.Tid, Now, output));
        }
        LetWaitingWritesRun();
    }

    /// <summary>Starts the first waiting child's write, when no other write is under way.</summary>
    private void LetWaitingWritesRun()
    {
        while (!WriteUnderWay && _waitingWrites.TryDequeue(out var next))
        {
            if (!_passengers.ContainsKey(next.Passenger.Pid))
            {
                continue;
            }
            // See the result at the syscall's exit: how much of it was written.
            _passengerWrites[next.Passenger.Pid] = (next.Entry, next.Stream);
            next.Passenger.Resume(Resume.Syscall);
        }
    }
}
