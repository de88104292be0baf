using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// The base URL of the carrier sandbox that sandbox-environment accounts call. When the portal hosts the sandbox,
/// that is this process's own HTTP address + /sandbox/kdniao, read from the server once it listens, so calls go
/// over real HTTP like any carrier's. CarrierSandbox:BaseUrl overrides it (a sandbox in its own process).
/// </summary>
public sealed class SandboxAddress(IServer server, IConfiguration configuration)
{
    private Uri? resolved;

    public Uri BaseUrl => resolved ??= Resolve();

    private Uri Resolve()
    {
        if (configuration["CarrierSandbox:BaseUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured.TrimEnd('/'));
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The portal is not listening yet, so the in-process carrier sandbox has no address. Set CarrierSandbox:BaseUrl.");
        // A wildcard binding is not an address a client can call: use the loopback interface.
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"));
        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority) + CarriersSetup.SandboxPrefix);
    }
}
