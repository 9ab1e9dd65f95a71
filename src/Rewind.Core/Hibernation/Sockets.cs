using System.Globalization;
using System.Net;

namespace Rewind.Hibernation;

/// <summary>
/// An internet socket of a process, from the kernel's tables in /proc/PID/net: its protocol
/// ("tcp" or "udp"), local and remote endpoints ("127.0.0.1:8080", "[::1]:53"; the remote
/// ends in ":0" when unconnected) and whether it listens.
/// </summary>
internal sealed record InternetSocket(string Protocol, string Local, string Remote, bool Listening)
{
    public bool Connected => !Remote.EndsWith(":0", StringComparison.Ordinal);

    /// <summary>What resume can bind again: a listening TCP socket, or an unconnected UDP one.</summary>
    public bool Rebindable => Listening || Protocol == "udp" && !Connected;

    /// <summary>"tcp://127.0.0.1:8080", as a descriptor's address is saved.</summary>
    public string Address => $"{Protocol}://{Local}";

    public override string ToString() =>
        Listening ? $"a listening {Protocol.ToUpperInvariant()} socket on {Local}"
        : Connected ? $"a {Protocol.ToUpperInvariant()} connection {Local} → {Remote}"
        : $"a {Protocol.ToUpperInvariant()} socket on {Local}";
}

/// <summary>
/// Finds a process's sockets in the kernel's tables in /proc/PID/net, to name them for a user and
/// to bind listeners again. Each table is read once, at its first use: a recorder captures a
/// server's descriptors at every checkpoint, and a thousand connections would otherwise read
/// the TCP table a thousand times.
/// </summary>
internal sealed class Sockets(int pid)
{
    private static readonly string[] Tables = ["tcp", "tcp6", "udp", "udp6"];
    private Dictionary<string, InternetSocket>? _internet;
    private Dictionary<string, string?>? _unix;

    /// <summary>The internet socket behind <paramref name="target"/> (a /proc/PID/fd link "socket:[INODE]"); null for another kind.</summary>
    public InternetSocket? Internet(string target) => InodeOf(target) is { } inode ? (_internet ??= ReadInternet()).GetValueOrDefault(inode) : null;

    /// <summary>A socket named for a user; null when <paramref name="target"/> is not a socket.</summary>
    public string? Describe(string target)
    {
        if (InodeOf(target) is not { } inode)
        {
            return null;
        }
        if (Internet(target) is { } socket)
        {
            return socket.ToString();
        }
        return (_unix ??= ReadUnix()).TryGetValue(inode, out string? path) ? path != null ? $"a UNIX socket at {path}" : "a UNIX socket" : $"a socket ({target})";
    }

    private Dictionary<string, InternetSocket> ReadInternet()
    {
        var sockets = new Dictionary<string, InternetSocket>();
        foreach (string table in Tables)
        {
            foreach (var fields in Rows($"/proc/{pid}/net/{table}"))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (fields.Length > 9)
                {
                    // State 0A is TCP_LISTEN.
                    sockets.TryAdd(fields[9], new InternetSocket(table[..3], Endpoint(fields[1]), Endpoint(fields[2]), fields[3] == "0A"));
                }
            }
        }
        return sockets;
    }

    /// <summary>The UNIX sockets by inode, with their path if bound.</summary>
    private Dictionary<string, string?> ReadUnix()
    {
        var sockets = new Dictionary<string, string?>();
        foreach (var fields in Rows($"/proc/{pid}/net/unix"))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            if (fields.Length > 6)
            {
                sockets.TryAdd(fields[6], fields.Length > 7 ? fields[7] : null);
            }
        }
        return sockets;
    }

    /// <summary>The inode of a /proc/PID/fd link "socket:[INODE]"; null for another.</summary>
    public static string? InodeOf(string target) => target.StartsWith("socket:[", StringComparison.Ordinal) ? target[8..^1] : null;

    private static IEnumerable<string[]> Rows(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (string line in lines.Skip(1))
        {
            yield return line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary>"0100007F:1F90" (or an IPv6 address in four host-order words) as "127.0.0.1:8080".</summary>
    private static string Endpoint(string hex)
    {
        var parts = hex.Split(':');
        byte[] address = Convert.FromHexString(parts[0]);
        for (int i = 0; i < address.Length; i += 4)
        {
            Array.Reverse(address, i, 4);
        }
        var ip = new IPAddress(address);
        int port = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }
}
