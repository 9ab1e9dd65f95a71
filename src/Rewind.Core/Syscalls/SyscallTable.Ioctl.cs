namespace Rewind.Syscalls;

public static partial class SyscallTable
{
    private const int IfreqSize = 40, TermiosSize = 36;

    /// <summary>
    /// The requests older than the size encoding of asm-generic/ioctl.h (their number carries no
    /// direction or size), and what the kernel writes at their argument: terminals' (ioctl_tty(2),
    /// asm-generic/ioctls.h), sockets' and network devices' (sockios.h, netdevice(7), arp(7)),
    /// block devices' and files' (linux/fs.h, hdreg.h, ioctl_fibmap(2)).
    /// </summary>
    private static readonly Dictionary<uint, int> UnencodedIoctls = new()
    {
        [0x5401] = TermiosSize,  // TCGETS: the kernel's struct termios
        [0x5405] = 18,           // TCGETA: struct termio
        [0x540F] = 4,            // TIOCGPGRP
        [0x5411] = 4,            // TIOCOUTQ, SIOCOUTQ
        [0x5413] = 8,            // TIOCGWINSZ: struct winsize
        [0x5415] = 4,            // TIOCMGET
        [0x5419] = 4,            // TIOCGSOFTCAR
        [0x541B] = 4,            // FIONREAD, TIOCINQ, SIOCINQ
        [0x541E] = 72,           // TIOCGSERIAL: struct serial_struct
        [0x5424] = 4,            // TIOCGETD
        [0x5429] = 4,            // TIOCGSID
        [0x542E] = 32,           // TIOCGRS485: struct serial_rs485
        [0x5456] = TermiosSize,  // TIOCGLCKTRMIOS
        [0x545D] = 80,           // TIOCGICOUNT: struct serial_icounter_struct
        [0x5460] = 8,            // FIOQSIZE: a loff_t
        [0x8903] = 4,            // FIOGETOWN
        [0x8904] = 4,            // SIOCGPGRP
        [0x8905] = 4,            // SIOCATMARK
        [0x8906] = 16,           // SIOCGSTAMP (the old one): struct timeval
        [0x8907] = 16,           // SIOCGSTAMPNS (the old one): struct timespec
        [0x8910] = IfreqSize,    // SIOCGIFNAME: struct ifreq, as the rest of SIOCGIF*
        [0x8913] = IfreqSize,    // SIOCGIFFLAGS
        [0x8915] = IfreqSize,    // SIOCGIFADDR
        [0x8917] = IfreqSize,    // SIOCGIFDSTADDR
        [0x8919] = IfreqSize,    // SIOCGIFBRDADDR
        [0x891B] = IfreqSize,    // SIOCGIFNETMASK
        [0x891D] = IfreqSize,    // SIOCGIFMETRIC
        [0x8921] = IfreqSize,    // SIOCGIFMTU
        [0x8927] = IfreqSize,    // SIOCGIFHWADDR
        [0x8929] = IfreqSize,    // SIOCGIFSLAVE
        [0x8933] = IfreqSize,    // SIOCGIFINDEX
        [0x8935] = IfreqSize,    // SIOCGIFPFLAGS
        [0x8942] = IfreqSize,    // SIOCGIFTXQLEN
        [0x8947] = IfreqSize,    // SIOCGMIIPHY: struct mii_ioctl_data inside the ifreq
        [0x8948] = IfreqSize,    // SIOCGMIIREG
        [0x894B] = 4,            // SIOCOUTQNSD
        [0x8954] = 68,           // SIOCGARP: struct arpreq
        [0x8961] = 68,           // SIOCGRARP
        [0x8970] = IfreqSize,    // SIOCGIFMAP
        [0x0001] = 4,            // FIBMAP: the block number asked for becomes the disk's
        [0x0002] = 4,            // FIGETBSZ
        [0x0301] = 16,           // HDIO_GETGEO: struct hd_geometry
        [0x125E] = 4,            // BLKROGET
        [0x1260] = 8,            // BLKGETSIZE: an unsigned long
        [0x1263] = 8,            // BLKRAGET
        [0x1265] = 8,            // BLKFRAGET
        [0x1267] = 2,            // BLKSECTGET: an unsigned short
        [0x1268] = 4,            // BLKSSZGET
        [0x1278] = 4,            // BLKIOMIN
        [0x1279] = 4,            // BLKIOOPT
        [0x127A] = 4,            // BLKALIGNOFF
        [0x127B] = 4,            // BLKPBSZGET
        [0x127C] = 4,            // BLKDISCARDZEROES
        [0x127E] = 2,            // BLKROTATIONAL
    };

    private const uint SiocGifConf = 0x8912, FsIocFiemap = 0xC020660B, FsIocGetFsMap = 0xC0C0583B;

    /// <summary>
    /// ioctl(fd, request, argp): what the kernel writes at argp. A request made with _IOR or _IOWR
    /// encodes its size; an older one is known by number (<see cref="UnencodedIoctls"/>). Three
    /// write more than their struct: SIOCGIFCONF fills the buffer its struct ifconf names, and
    /// FS_IOC_FIEMAP and FS_IOC_GETFSMAP an array after their header, as long as the header says
    /// they filled. Any other request writes nothing Rewind knows of: nothing is captured.
    /// </summary>
    private static void Ioctl(OutputCapture c)
    {
        uint request = (uint)c.Args[1];
        ulong arg = c.Args[2];
        switch (request)
        {
            case SiocGifConf when c.Succeeded:
                // struct ifconf: ifc_len, then ifc_buf; with no buffer the kernel writes only the length it needs (netdevice(7)).
                c.At(arg, 16);
                c.At(c.ReadU64(arg + 8), c.ReadU32(arg));
                return;
            case FsIocFiemap when c.Succeeded:
                // struct fiemap: fm_mapped_extents (at 20) of fm_extent_count (at 24) struct fiemap_extent, 56 bytes each, follow its 32.
                FilledArray(c, arg, 32, filled: arg + 20, room: arg + 24, 56);
                return;
            case FsIocGetFsMap when c.Succeeded:
                // struct fsmap_head: fmh_entries (at 12) of fmh_count (at 8) struct fsmap, 64 bytes each, follow its 192.
                FilledArray(c, arg, 192, filled: arg + 12, room: arg + 8, 64);
                return;
        }
        c.At(arg, UnencodedIoctls.TryGetValue(request, out int size) ? size : EncodedOutputSize(request));
    }

    /// <summary>The size an _IOR or _IOWR request encodes (asm-generic/ioctl.h: direction in bits 30-31, size in 16-29); 0 for any other.</summary>
    private static long EncodedOutputSize(uint request) => (request >> 30 & 2) != 0 ? (request >> 16) & 0x3fff : 0;

    /// <summary>A header of <paramref name="headerSize"/> bytes at <paramref name="arg"/>, and the elements after it the kernel filled, no more than it had room for.</summary>
    private static void FilledArray(OutputCapture c, ulong arg, int headerSize, ulong filled, ulong room, int elementSize)
    {
        c.At(arg, headerSize);
        c.At(arg + (ulong)headerSize, (long)Math.Min(c.ReadU32(filled), c.ReadU32(room)) * elementSize);
    }
}
