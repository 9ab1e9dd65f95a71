using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Rewind.Dap.Engine;

/// <summary>
/// The one thread that owns the replay (ptrace belongs to a thread, shared/DESIGN.md §8). The DAP
/// request loop hands it work: <see cref="Invoke{T}"/> waits for the answer (inspection),
/// <see cref="Post"/> does not (motions, whose stop is reported by event).
/// </summary>
internal sealed class EngineThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public EngineThread()
    {
        _thread = new Thread(Loop, maxStackSize: 16 << 20) { Name = "rewind engine", IsBackground = true };
        _thread.Start();
    }

    public T Invoke<T>(Func<T> work)
    {
        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
        {
            return work();
        }
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    public void Invoke(Action work) => Invoke(() =>
    {
        work();
        return true;
    });

    public void Post(Action work) => _work.Add(work);

    private void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join();
        }
        _work.Dispose();
    }
}
