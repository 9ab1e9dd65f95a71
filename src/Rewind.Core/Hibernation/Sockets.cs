using System.Globalization;
using System.Net;

namespace Rewind.Hibernation;

/// <summary>Names a process's socket for a user, from the kernel's tables in /proc/PID/net: "a TCP connection 10.0.0.2:41234 → 10.0.0.9:5432".</summary>
internal static class Sockets
{
    private static readonly (string Table, string Kind)[] Tables =
        [("tcp", "TCP"), ("tcp6", "TCP"), ("udp", "UDP"), ("udp6", "UDP")];

    /// <summary>Null when <paramref name="target"/> (a /proc/PID/fd link) is not a socket.</summary>
    public static string? Describe(int pid, string target)
    {
        if (!target.StartsWith("socket:[", StringComparison.Ordinal))
        {
            return null;
        }
        string inode = target[8..^1];
        foreach (var (table, kind) in Tables)
        {
            foreach (var fields in Rows($"/proc/{pid}/net/{table}"))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (fields.Length > 9 && fields[9] == inode)
                {
                    string local = Endpoint(fields[1]), remote = Endpoint(fields[2]);
                    return fields[3] == "0A" ? $"a listening {kind} socket on {local}"
                        : remote.EndsWith(":0", StringComparison.Ordinal) ? $"a {kind} socket on {local}"
                        : $"a {kind} connection {local} → {remote}";
                }
            }
        }
        foreach (var fields in Rows($"/proc/{pid}/net/unix"))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            if (fields.Length > 6 && fields[6] == inode)
            {
                return fields.Length > 7 ? $"a UNIX socket at {fields[7]}" : "a UNIX socket";
            }
        }
        return $"a socket ({target})";
    }

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
