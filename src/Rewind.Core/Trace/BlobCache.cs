namespace Rewind.Trace;

/// <summary>
/// The contents of mapped files a trace's reader assembled last, up to a total size: a replay
/// maps the same library again and again (each segment an mmap, in every process, at every exec
/// of a process tree), and assembling a file means reading and decompressing all its pieces.
/// The least recently used go first. Safe from any thread.
/// </summary>
internal sealed class BlobCache(long capacity)
{
    private readonly LinkedList<(BlobId Id, byte[] Content)> _recent = [];
    private readonly Dictionary<BlobId, LinkedListNode<(BlobId Id, byte[] Content)>> _byId = [];
    private long _size;

    /// <summary>The content of <paramref name="id"/>, assembled by <paramref name="assemble"/> unless it is kept. Callers must not change it.</summary>
    public byte[] Get(BlobId id, Func<BlobId, byte[]> assemble)
    {
        lock (_recent)
        {
            if (_byId.TryGetValue(id, out var kept))
            {
                _recent.Remove(kept);
                _recent.AddFirst(kept);
                return kept.Value.Content;
            }
        }
        byte[] content = assemble(id);
        lock (_recent)
        {
            if (content.Length <= capacity && !_byId.ContainsKey(id))
            {
                _byId[id] = _recent.AddFirst((id, content));
                _size += content.Length;
                while (_size > capacity && _recent.Last is { } oldest)
                {
                    _recent.RemoveLast();
                    _byId.Remove(oldest.Value.Id);
                    _size -= oldest.Value.Content.Length;
                }
            }
        }
        return content;
    }
}
