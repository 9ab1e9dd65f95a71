namespace Rewind.Dap;

/// <summary>
/// Small positive integers standing for values the client cannot hold itself (frames,
/// variable containers, goto targets): DAP's "object references", valid until the next stop.
/// Thread-safe: stops arrive on the engine's thread while requests use the table.
/// </summary>
public sealed class HandleTable<T>
{
    private readonly Dictionary<int, T> _values = [];
    private readonly Lock _lock = new();
    private int _next = 1;

    public int Add(T value)
    {
        lock (_lock)
        {
            var id = _next++;
            _values[id] = value;
            return id;
        }
    }

    public bool TryGet(int id, out T value)
    {
        lock (_lock)
            return _values.TryGetValue(id, out value!);
    }

    /// <summary>Forgets every value; ids are never reused, so a stale id cannot find a new value.</summary>
    public void Clear()
    {
        lock (_lock)
            _values.Clear();
    }
}
