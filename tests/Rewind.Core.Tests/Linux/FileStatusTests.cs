using Rewind.Linux;

namespace Rewind.Core.Tests.Linux;

/// <summary>Device numbers as stat(2) gives them (st_rdev), which hibernation tells devices and terminals apart by.</summary>
public sealed class FileStatusTests
{
    [Fact]
    public void Device_numbers_split_as_glibc_splits_them_past_the_old_16_bits()
    {
        // glibc's gnu_dev_makedev(0x1123, 0x45678): the minor's low byte, the major's low 12 bits, the minor's high bits, the major's.
        var device = new FileStatus(0, 0, 0x2000, 0x78 | 0x123UL << 8 | 0x45600UL << 12 | 0x1000UL << 32, 0, 0);

        Assert.Equal(0x1123u, device.DeviceMajor);
        Assert.Equal(0x45678u, device.DeviceMinor);
    }

    [Fact]
    public void Null_is_the_memory_device_3_and_the_pseudo_terminal_multiplexer_a_terminal()
    {
        Assert.True(Interop.Stat("/dev/null") is { DeviceMajor: 1, DeviceMinor: 3, IsTerminal: false });
        Assert.True(Interop.Stat("/dev/ptmx") is { DeviceMajor: 5, DeviceMinor: 2, IsTerminal: true });
    }
}
