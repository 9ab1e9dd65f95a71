using System.Text;
using Rewind.Checkpoints;
using Rewind.Cli.Tests.Harness;
using Rewind.Replay;
using Rewind.Trace;

namespace Rewind.Cli.Tests;

/// <summary>
/// Issue #3: checkpoints persisted while recording restore the program's whole state. The
/// program keeps state in registers, AVX registers, stack, heap, a 1 GB allocation, a signal
/// handler and a mapped data file; a replay from every checkpoint must print exactly what the
/// program printed after that point, ending with the same memory digest.
/// </summary>
public sealed class CheckpointTests(CheckpointTests.RecordedTrace recorded) : IClassFixture<CheckpointTests.RecordedTrace>
{
    /// <summary>One recording for all the tests: ~2 s of run time with a checkpoint every 0.2 s.</summary>
    public sealed class RecordedTrace : IDisposable
    {
        public RecordedTrace()
        {
            Program = new CheckpointProgram();
            TracePath = Path.Combine(Program.Directory, "state.rwd");
            var (code, stdout, stderr) = Program.Rewind("record", "--checkpoint-interval", "0.2", "-o", TracePath, "--", Program.Binary, "150", Program.DataFile);
            Assert.True(code == 0, stderr);
            Stdout = stdout;
        }

        public CheckpointProgram Program { get; }

        public string TracePath { get; }

        public string Stdout { get; }

        public void Dispose() => Program.Dispose();
    }

    [Fact]
    public void The_recording_has_periodic_incremental_checkpoints()
    {
        using var trace = TraceFile.Open(recorded.TracePath);
        var checkpoints = trace.Summary.Checkpoints;
        Assert.True(checkpoints.Count >= 4, $"{checkpoints.Count} checkpoints");
        Assert.Contains(checkpoints, c => c.Base != null);
        Assert.Equal(checkpoints.Select(c => c.Index), Enumerable.Range(0, checkpoints.Count));
        Assert.True(checkpoints.Zip(checkpoints.Skip(1)).All(p => p.First.EventIndex < p.Second.EventIndex));
        // The 1 GB allocation is touched sparsely: no checkpoint stores anything like it.
        Assert.All(checkpoints, c => Assert.True(c.StoredBytes < 64 << 20, $"checkpoint {c.Index} stores {c.StoredBytes} bytes"));
        var (code, info, _) = recorded.Program.Rewind("info", recorded.TracePath);
        Assert.Equal(0, code);
        Assert.Contains($"checkpoints: {checkpoints.Count}", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_from_every_checkpoint_prints_the_rest_of_the_output_and_the_same_digest()
    {
        using var trace = TraceFile.Open(recorded.TracePath);
        string digest = recorded.Stdout.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("digest ", digest, StringComparison.Ordinal);
        foreach (var c in trace.Summary.Checkpoints)
        {
            string expected = CheckpointReplay.StdoutAfter(trace, c.EventIndex);
            Assert.EndsWith(expected, recorded.Stdout, StringComparison.Ordinal);
            var output = new StringBuilder();
            var result = TracerThread.Run(() =>
            {
                using var session = ReplaySession.Start(trace, c.Index, (_, data) => output.Append(Encoding.UTF8.GetString(data)));
                return session.RunToEnd();
            });
            Assert.Null(result.EndNote);
            Assert.Equal(0, result.Exit!.Value.Code);
            Assert.Equal(expected, output.ToString());
            // A checkpoint may fall after the digest is printed (at the exit_group, the last stop), with nothing left to print.
            if (expected.Length > 0)
            {
                Assert.EndsWith(digest + "\n", output.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_restored_memory_map_is_the_recorded_one()
    {
        using var trace = TraceFile.Open(recorded.TracePath);
        foreach (var c in trace.Summary.Checkpoints)
        {
            var image = trace.Checkpoint(c.Index);
            var restored = TracerThread.Run(() =>
            {
                using var session = ReplaySession.Start(trace, c.Index);
                return AddressSpace.Read(session.Tracee.Pid).Regions;
            });
            var recordedMap = Normalize(image.Regions.Select(r => (r.Start.Value, r.End.Value, r.Protection)));
            var restoredMap = Normalize(restored.Where(r => !r.IsKernelProvided).Select(r => (r.Start.Value, r.End.Value, r.Protection)));
            Assert.Equal(recordedMap, restoredMap);
        }
    }

    [Fact]
    public void A_missing_checkpoint_is_named()
    {
        var (code, _, stderr) = recorded.Program.Rewind("replay", "--from-checkpoint", "999", recorded.TracePath);
        Assert.Equal(1, code);
        Assert.Contains("no checkpoint 999", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_from_the_last_checkpoint_prints_only_the_end()
    {
        var (code, stdout, stderr) = recorded.Program.Rewind("replay", "--from-checkpoint", "last", recorded.TracePath);
        Assert.True(code == 0, stderr);
        Assert.EndsWith(stdout, recorded.Stdout, StringComparison.Ordinal);
        Assert.True(stdout.Length < recorded.Stdout.Length / 2, stdout);
    }

    [Fact]
    public void A_damaged_checkpoint_is_named_when_restored()
    {
        string copy = Path.Combine(recorded.Program.Directory, "damaged.rwd");
        File.Copy(recorded.TracePath, copy, overwrite: true);
        int index;
        using (var trace = TraceFile.Open(copy))
        {
            var pages = trace.Reader.Chunks.Last(ch => ch.Kind == ChunkKind.CheckpointPages);
            index = (int)pages.Tag;
            using var file = File.OpenHandle(copy, FileMode.Open, FileAccess.ReadWrite);
            long at = pages.Offset + 24 + pages.StoredLength / 2;
            var b = new byte[1];
            RandomAccess.Read(file, b, at);
            b[0] ^= 0xff;
            RandomAccess.Write(file, b, at);
        }
        using var damaged = TraceFile.Open(copy);
        var e = Assert.Throws<TraceFormatException>(() => damaged.Checkpoint(index));
        Assert.Contains($"checkpoint {index} cannot be restored", e.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Adjacent regions with the same protection as one: the kernel merges neighbouring anonymous
    /// mappings, so a restored file region (mapped anonymous) may join its neighbour.
    /// </summary>
    private static List<(ulong Start, ulong End, Protection Protection)> Normalize(IEnumerable<(ulong Start, ulong End, Protection Protection)> regions)
    {
        var result = new List<(ulong Start, ulong End, Protection Protection)>();
        foreach (var r in regions.OrderBy(r => r.Start))
        {
            if (result.Count > 0 && result[^1].End == r.Start && result[^1].Protection == r.Protection)
            {
                result[^1] = (result[^1].Start, r.End, r.Protection);
            }
            else
            {
                result.Add(r);
            }
        }
        return result;
    }
}
