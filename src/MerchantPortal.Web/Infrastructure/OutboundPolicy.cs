using MerchantPortal.Carriers;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Where outgoing requests to Admin-typed addresses (webhooks, custom carrier endpoints, connection tests) may go:
/// never to private, link-local or unique-local addresses; to loopback only in Development or when
/// <c>Security:OutboundAllowLoopback</c> is true (the tests' receivers and an in-process sandbox listen there).
/// </summary>
public sealed class OutboundPolicy(IConfiguration configuration, IHostEnvironment environment)
{
    public bool AllowLoopback { get; } = configuration.GetValue<bool?>("Security:OutboundAllowLoopback") ?? environment.IsDevelopment();

    public HttpMessageHandler CreateHandler() => OutboundHttp.CreateHandler(AllowLoopback);

    /// <summary>A URL that names an internal address outright (checked when saved; names are checked when connecting).</summary>
    public bool IsInternal(Uri url) => OutboundHttp.IsInternalTarget(url, AllowLoopback);
}
