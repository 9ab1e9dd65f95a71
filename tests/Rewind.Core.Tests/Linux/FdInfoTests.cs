using Microsoft.Win32.SafeHandles;
using Rewind.Linux;

namespace Rewind.Core.Tests.Linux;

/// <summary>A descriptor's access mode as its /proc/PID/fd link tells it, which decides how the recorder stores a file mapped through it.</summary>
public sealed class FdInfoTests
{
    [Fact]
    public void A_descriptor_is_open_for_reading_and_writing_as_its_open_flags_say()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var read = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            using var write = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            using var both = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);

            Assert.False(IsOpenForReadingAndWriting(read));
            Assert.False(IsOpenForReadingAndWriting(write));
            Assert.True(IsOpenForReadingAndWriting(both));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_descriptor_not_open_is_an_error()
    {
        // Past any descriptor limit the test host could reach.
        Assert.Throws<IOException>(() => FdInfo.IsOpenForReadingAndWriting(Environment.ProcessId, int.MaxValue));
    }

    private static bool IsOpenForReadingAndWriting(SafeFileHandle handle) =>
        FdInfo.IsOpenForReadingAndWriting(Environment.ProcessId, (int)handle.DangerousGetHandle());
}
