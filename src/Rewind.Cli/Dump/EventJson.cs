using System.Text.Encodings.Web;
using System.Text.Json;
using Rewind.Linux;
using Rewind.Syscalls;
using Rewind.Trace;

namespace Rewind.Cli.Dump;

/// <summary>
/// One event as a JSON object on one line (`rewind dump --json`): index, time in seconds, tid,
/// kind, and the kind's own members: a syscall's name, number, raw arguments, pc, decoded arguments,
/// paths, result and error; a signal's name and place; an exit's status.
/// </summary>
internal sealed class EventJson(Stream output) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });

    public void Write(long index, TraceEvent e)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("index", index);
        _json.WriteNumber("time", e.Time / 1e6);
        _json.WriteNumber("tid", e.Tid.Value);
        switch (e)
        {
            case SyscallEvent s:
                Syscall(s);
                break;
            case SyscallEntryEvent n:
                _json.WriteString("kind", "syscall-entry");
                _json.WriteString("name", SyscallTable.Name(n.Number));
                _json.WriteNumber("number", n.Number);
                Numbers("args", n.Args);
                break;
            case SignalEvent g:
                _json.WriteString("kind", "signal");
                _json.WriteNumber("signal", g.Signal);
                _json.WriteString("name", Signal.Name(g.Signal));
                _json.WriteBoolean("synchronous", g.Synchronous);
                _json.WriteString("pc", g.Registers.Pc.ToString());
                if (g.RunNanos is { } ran)
                {
                    _json.WriteNumber("runNanos", ran);
                }
                break;
            case RdtscEvent r:
                _json.WriteString("kind", r.IsRdtscp ? "rdtscp" : "rdtsc");
                _json.WriteNumber("counter", r.Counter);
                _json.WriteString("pc", r.Pc.ToString());
                break;
            case ExecEvent x:
                _json.WriteString("kind", "exec");
                _json.WriteNumber("checkpoint", x.Checkpoint);
                if (x.CommandLine is { } argv)
                {
                    _json.WriteStartArray("commandLine");
                    foreach (string a in argv)
                    {
                        _json.WriteStringValue(a);
                    }
                    _json.WriteEndArray();
                }
                break;
            case NewProcessEvent p:
                _json.WriteString("kind", "new-process");
                _json.WriteNumber("pid", p.Pid);
                break;
            case CodePatchEvent c:
                _json.WriteString("kind", "code-patch");
                _json.WriteStartArray("mapped");
                foreach (var page in c.Mapped)
                {
                    _json.WriteStringValue(page.ToString());
                }
                _json.WriteEndArray();
                _json.WriteStartArray("writes");
                foreach (var write in c.Writes)
                {
                    _json.WriteStartObject();
                    _json.WriteString("address", write.Address.ToString());
                    _json.WriteString("bytes", Convert.ToHexStringLower(write.Data));
                    _json.WriteEndObject();
                }
                _json.WriteEndArray();
                break;
            case ChildOutputEvent c:
                _json.WriteString("kind", "child-output");
                _json.WriteString("stream", EventText.StreamName(c.Output.Fd));
                _json.WriteString("data", System.Text.Encoding.UTF8.GetString(c.Output.Data));
                break;
            case ExitEvent x:
                _json.WriteString("kind", "exit");
                if (x.Status.Signal != 0)
                {
                    _json.WriteNumber("signal", x.Status.Signal);
                    _json.WriteString("name", Signal.Name(x.Status.Signal));
                    _json.WriteBoolean("coreDumped", x.Status.CoreDumped);
                }
                else
                {
                    _json.WriteNumber("code", x.Status.Code);
                }
                break;
            case PreemptionEvent p:
                _json.WriteString("kind", "preemption");
                _json.WriteString("pc", p.Registers.Pc.ToString());
                _json.WriteNumber("runMicros", p.RunNanos / 1000);
                if (p.LoopWords is { } words)
                {
                    _json.WriteStartArray("loopWords");
                    foreach (var word in words)
                    {
                        _json.WriteStartObject();
                        _json.WriteString("address", word.Address.ToString());
                        _json.WriteString("value", $"0x{word.Value:x}");
                        _json.WriteEndObject();
                    }
                    _json.WriteEndArray();
                }
                break;
        }
        _json.WriteEndObject();
        _json.Flush();
        output.WriteByte((byte)'\n');
    }

    private void Syscall(SyscallEvent s)
    {
        _json.WriteString("kind", "syscall");
        _json.WriteString("name", s.Name);
        _json.WriteNumber("number", s.Number);
        Numbers("args", s.Args);
        // Where the syscall instruction left off: the program's own code, or Rewind's pages (a logged time read, a hooked call).
        _json.WriteString("pc", s.Pc.ToString());
        if (SyscallFormatter.Arguments(s) is { } decoded)
        {
            _json.WriteString("decoded", decoded);
        }
        if (s.Paths is { } paths)
        {
            _json.WriteStartArray("paths");
            foreach (string path in paths)
            {
                _json.WriteStringValue(path);
            }
            _json.WriteEndArray();
        }
        _json.WriteNumber("result", s.Result);
        if (s.Result is < 0 and > -4096)
        {
            _json.WriteString("error", ErrnoNames.Name((int)-s.Result));
            _json.WriteString("errorText", ErrnoNames.Text((int)-s.Result));
        }
        if (s.Mapping is { } m)
        {
            _json.WriteString("mappedFile", m.Path);
            _json.WriteNumber("fileOffset", m.FileOffset);
        }
        if (s.Output is { } o)
        {
            _json.WriteString("stream", EventText.StreamName(o.Fd));
            _json.WriteString("data", System.Text.Encoding.UTF8.GetString(o.Data));
        }
        if (s.Writes.Count > 0)
        {
            _json.WriteNumber("bytesWritten", s.Writes.Sum(w => (long)w.Data.Length));
        }
    }

    private void Numbers(string name, ulong[] values)
    {
        _json.WriteStartArray(name);
        foreach (ulong v in values)
        {
            _json.WriteNumberValue(v);
        }
        _json.WriteEndArray();
    }

    public void Dispose() => _json.Dispose();
}
