using System.Runtime.ExceptionServices;

namespace Rewind;

/// <summary>
/// Runs engine work on one dedicated thread: ptrace requests are only accepted from the thread
/// that attached the tracee (shared/DESIGN.md §8), so no await and no thread pool in the engine.
/// </summary>
public static class TracerThread
{
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 16 << 20)
        { Name = "rewind tracer", IsBackground = true };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
