using Rewind.Linux;
using Rewind.Trace;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    // The System V segments already named in a note, by id.
    private readonly HashSet<ulong> _outsideAttaches = [];
    // The shared memory objects already named in a note as mapped by an unrecorded process, by device and inode.
    private readonly HashSet<(ulong, ulong)> _sharedWithPassengers = [];

    /// <summary>
    /// The System V segment a shmat attached at <paramref name="address"/>, recorded as a file
    /// written through (replay maps every attach of it from one stand-in): its file (map_files
    /// opens it; /proc/PID/maps names it "/SYSV&lt;key&gt; (deleted)") and the whole of its bytes,
    /// which an earlier attach or another process may have written.
    /// </summary>
    private SharedFileMapping Attached(ulong address)
    {
        var region = AddressSpace.Read(_current.Tracee.Pid).Regions.FirstOrDefault(r => r.Start.Value == address && r.IsSysVSegment)
            ?? throw new RewindException($"shmat attached no System V segment at 0x{address:x}");
        string open = MappedFile.RequirePathOf(_current.Tracee.Pid, region);
        var segment = SharedFile(open, region.Name[..^" (deleted)".Length], 0, (long)region.Length);
        NoteOutsideAttaches();
        return segment;
    }

    /// <summary>
    /// Notes, once per segment, a System V segment the program has attached that is attached
    /// outside the recording too: by another program, a child recorded with --no-children, or a
    /// process that left the recording. What such a process writes there reaches the program's
    /// memory with no syscall, and does not replay. The kernel counts a segment's attaches by
    /// mapping (<see cref="SysVSegments.Attaches"/>); the recorded processes' are in their maps, and
    /// the recorder's snapshots hold none (<see cref="Tracee.ForkSnapshotWithoutSegments"/>).
    /// Checked where the count can change in the program's sight: at its attaches, checkpoints,
    /// and when a process stops being recorded or is born unrecorded.
    /// </summary>
    private void NoteOutsideAttaches()
    {
        var recorded = _processes.SelectMany(p => AddressSpace.Read(p.Pid).Regions).Where(r => r.IsSysVSegment)
            .GroupBy(r => r.Inode).ToDictionary(g => g.Key, g => g.LongCount());
        if (recorded.Count == 0)
        {
            return;
        }
        foreach (var (id, attaches) in SysVSegments.Attaches())
        {
            if (recorded.TryGetValue(id, out long ours) && attaches > ours && _outsideAttaches.Add(id))
            {
                _notes.Add($"System V shared memory segment {id} is also attached by a process Rewind does not record: what it writes there will not replay");
            }
        }
    }

    /// <summary>
    /// Notes, once per object, the memory process <paramref name="pid"/> shares with the program
    /// for writing as it stops being recorded (a child under --no-children, one that left the
    /// recording): anonymous MAP_SHARED memory and files written through, which it inherited by
    /// fork. What it writes there reaches the program with no syscall, and does not replay. System
    /// V segments have notes of their own (<see cref="NoteOutsideAttaches"/>).
    /// </summary>
    private void NoteSharedWithPassenger(int pid)
    {
        var writable = AddressSpace.Read(pid).Regions.Where(r => IsSharedMemory(r) && r.Protection.HasFlag(Protection.Write) && !r.IsSysVSegment);
        foreach (var region in writable.Where(r => _sharedWithPassengers.Add((r.Device, r.Inode))))
        {
            _notes.Add($"process {pid}, not recorded, shares memory with the program for writing ({region.Name} at {region.Start}): what it writes there will not replay");
        }
    }
}
