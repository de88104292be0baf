using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace MerchantPortal.Carriers;

/// <summary>
/// Outgoing requests to addresses an Admin typed (webhook URLs, a custom carrier endpoint) must not reach the
/// portal's own network: cloud metadata (169.254.169.254), private and unique-local ranges, link-local, and loopback
/// unless allowed (Development and the tests). The check runs on the resolved addresses inside the connect step, so a
/// host name that resolves inward, and every spelling of an address (127.1, [::ffff:127.0.0.1]), is refused before
/// any connection is made. Redirects are never followed: the signed body would go wherever the receiver points.
/// </summary>
public static class OutboundHttp
{
    /// <summary>What a refused, failed or timed-out request is logged as: no host, address or port (no port probing).</summary>
    public const string Refused = "Refused: the address is not a public internet address.";
    public const string ConnectFailed = "Could not connect.";
    public const string NameFailed = "The host name could not be resolved.";
    public const string TlsFailed = "The secure connection (TLS) failed.";
    public const string TimedOut = "No answer in time.";
    public const string Failed = "The request failed.";

    /// <summary>A handler that connects only to allowed addresses, follows no redirects and uses no proxy (a proxy would connect for it, unchecked).</summary>
    public static SocketsHttpHandler CreateHandler(bool allowLoopback) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowLoopback, ct),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowLoopback, CancellationToken ct)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        // Every address must pass: a name resolving to a public and an internal address is refused, not half-trusted.
        if (addresses.Length == 0 || addresses.Any(a => IsForbidden(a, allowLoopback)))
        {
            throw new OutboundAddressRefusedException();
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A URL whose host is already known to be internal (an address literal, or localhost): refused when it is saved.
    /// Names are checked again, resolved, when a request is made.
    /// </summary>
    public static bool IsInternalTarget(Uri url, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return !allowLoopback;
        }
        return IPAddress.TryParse(host, out var address) && IsForbidden(address, allowLoopback);
    }

    public static bool IsForbidden(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return !allowLoopback;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,                     // "this network", private, loopback
                100 => b[1] is >= 64 and < 128,             // carrier-grade NAT, often the provider's internal network
                169 => b[1] == 254,                         // link-local: cloud metadata lives here
                172 => b[1] is >= 16 and < 32,              // private
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0), // private; IETF protocol assignments
                198 => b[1] is 18 or 19,                    // benchmarking networks
                >= 224 => true,                             // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast)
        {
            return true;
        }
        var bytes = address.GetAddressBytes();
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that decides.
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsForbidden(new IPAddress(bytes.AsSpan(12, 4)), allowLoopback);
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return IsForbidden(new IPAddress(bytes.AsSpan(2, 4)), allowLoopback);
        }
        // Other addresses in ::/8 (IPv4-compatible and reserved) are never a public host.
        return bytes[0] == 0;
    }

    /// <summary>A failure in words that say what went wrong, never where (no host, address or port).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        _ when IsRefusal(exception) => Refused,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => NameFailed,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => TlsFailed,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => ConnectFailed,
        TaskCanceledException or TimeoutException => TimedOut,
        _ => Failed,
    };

    /// <summary>Whether the request was refused for its address (anywhere in the chain of causes): retrying is pointless.</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Thrown inside the connect step when a target resolves to an address outgoing requests may not reach.</summary>
public sealed class OutboundAddressRefusedException() : IOException(OutboundHttp.Refused);
