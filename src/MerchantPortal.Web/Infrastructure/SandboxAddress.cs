using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// The base URL of the carrier sandbox that sandbox-environment accounts call. When the portal hosts the sandbox,
/// that is this process's own HTTP address + /sandbox/kdniao, read from the server once it listens, so calls go
/// over real HTTP like any carrier's. CarrierSandbox:BaseUrl overrides it (a sandbox in its own process).
/// </summary>
public sealed class SandboxAddress(IServer server, IConfiguration configuration)
{
    /// <summary>Where the in-process sandbox is mapped.</summary>
    public const string Prefix = "/sandbox/kdniao";

    /// <summary>Whether this host serves the carrier sandbox in process (CarrierSandbox:Enabled).</summary>
    public static bool Enabled(IConfiguration configuration) => configuration.GetValue<bool>("CarrierSandbox:Enabled");

    private Uri? resolved;

    public Uri BaseUrl => resolved ??= Resolve();

    private Uri Resolve()
    {
        if (configuration["CarrierSandbox:BaseUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured.TrimEnd('/'));
        }
        return new Uri(ListeningAddress.Of(server).GetLeftPart(UriPartial.Authority) + Prefix);
    }
}

/// <summary>
/// The address other parties use to reach this portal: Portal:PublicBaseUrl (what the aggregator must be able to
/// call back, carrier-protocol.md §2.5), else this process's own HTTP address (development, tests and the in-process
/// sandbox, which calls back over loopback).
/// </summary>
public sealed class PublicAddress(IServer server, IConfiguration configuration)
{
    private Uri? resolved;

    public Uri BaseUrl => resolved ??= configuration["Portal:PublicBaseUrl"] is { Length: > 0 } configured
        ? new Uri(configured.TrimEnd('/') + "/")
        : new Uri(ListeningAddress.Of(server).GetLeftPart(UriPartial.Authority) + "/");
}

internal static class ListeningAddress
{
    /// <summary>This process's first HTTP listening address, with a wildcard binding turned into loopback.</summary>
    public static Uri Of(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The portal is not listening yet, so it has no address of its own. Set CarrierSandbox:BaseUrl and Portal:PublicBaseUrl.");
        // A wildcard binding is not an address a client can call: use the loopback interface.
        return new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1")).Uri;
    }
}
