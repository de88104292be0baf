using System.Text;

namespace MerchantPortal.Carriers;

/// <summary>Everything a call needs about one carrier account; the portal decrypts secrets and builds this.</summary>
/// <param name="AccountKey">Stable id of the account: the key of its client-side rate limiter.</param>
/// <param name="RequestsPerSecond">The account's limit; the gateway never sends faster than this.</param>
public sealed record CarrierAccountContext(
    string AccountKey,
    string EBusinessId,
    string AppKey,
    KdniaoEndpoints Endpoints,
    string ShipperCode,
    WaybillAccount? WaybillAccount,
    int RequestsPerSecond = 20)
{
    // Records print every property; the AppKey must never reach a log line through ToString().
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccountKey = ").Append(AccountKey)
            .Append(", EBusinessId = ").Append(EBusinessId)
            .Append(", AppKey = ***")
            .Append(", Endpoints = ").Append(Endpoints.BaseUrl)
            .Append(", ShipperCode = ").Append(ShipperCode)
            .Append(", WaybillAccount = ").Append(WaybillAccount)
            .Append(", RequestsPerSecond = ").Append(RequestsPerSecond);
        return true;
    }
}

/// <summary>The carrier's e-waybill account parameters (carrier-protocol.md §2.6), all carrier-dependent.</summary>
public sealed record WaybillAccount(
    string? CustomerName,
    string? CustomerPwd,
    string? MonthCode,
    string? SendSite,
    string? SendStaff)
{
    // CustomerPwd is a secret: keep it out of ToString() and therefore out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CustomerName = ").Append(CustomerName)
            .Append(", CustomerPwd = ").Append(CustomerPwd is null ? "null" : "***")
            .Append(", MonthCode = ").Append(MonthCode)
            .Append(", SendSite = ").Append(SendSite)
            .Append(", SendStaff = ").Append(SendStaff);
        return true;
    }
}

/// <summary>
/// Base URL plus a path per RequestType. carrier-protocol.md §1.1 notes the current paths are unconfirmed
/// (EOrderService vs EOrderService2 …), so every path can be overridden per request type.
/// </summary>
public sealed record KdniaoEndpoints(Uri BaseUrl, IReadOnlyDictionary<string, string>? PathByRequestType = null)
{
    private const string OrderHandle = "/Ebusiness/EbusinessOrderHandle.aspx";
    private const string Dist = "/api/dist";
    private const string EOrder = "/api/EOrderService";
    private const string OOrder = "/api/OOrderService";

    // carrier-protocol.md §1.1 and §2.1.
    private static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        [KdniaoRequestTypes.InstantQuery] = OrderHandle,
        [KdniaoRequestTypes.RecogniseCarrier] = OrderHandle,
        [KdniaoRequestTypes.MonitorQuery] = Dist,
        [KdniaoRequestTypes.AutoDetectQuery] = Dist,
        [KdniaoRequestTypes.Subscribe] = Dist,
        [KdniaoRequestTypes.MonitorSubscribe] = Dist,
        [KdniaoRequestTypes.ParseAddress] = Dist,
        [KdniaoRequestTypes.CreateWaybill] = EOrder,
        [KdniaoRequestTypes.CancelWaybill] = EOrder,
        [KdniaoRequestTypes.BookPickupLegacy] = OOrder,
        [KdniaoRequestTypes.CancelPickupLegacy] = OOrder,
        [KdniaoRequestTypes.BookPickup] = OOrder,
        [KdniaoRequestTypes.CancelPickup] = OOrder,
    };

    public static KdniaoEndpoints Production { get; } = new(new Uri("https://api.kdniao.com"));

    /// <summary>A sandbox at <paramref name="baseUrl"/> (which may carry a path prefix, e.g. http://host/sandbox/kdniao).</summary>
    public static KdniaoEndpoints Sandbox(Uri baseUrl) => new(baseUrl);

    /// <summary>
    /// The URL for one RequestType: BaseUrl with the path appended (a path prefix in BaseUrl is kept).
    /// An override of "" means "post to BaseUrl itself" (the unified sandbox URL of §1.1 serves every type).
    /// Unknown types go to /api/dist, which §1.1 suggests routes by RequestType anyway.
    /// </summary>
    public Uri For(string requestType)
    {
        string? path = null;
        if (PathByRequestType is not null && PathByRequestType.TryGetValue(requestType, out var custom))
        {
            path = custom;
        }

        path ??= Defaults.TryGetValue(requestType, out var known) ? known : Dist;
        if (path.Length == 0)
        {
            return BaseUrl;
        }

        var builder = new UriBuilder(BaseUrl);
        builder.Path = builder.Path.TrimEnd('/') + "/" + path.TrimStart('/');
        return builder.Uri;
    }
}

/// <summary>RequestType codes (carrier-protocol.md §2.1).</summary>
public static class KdniaoRequestTypes
{
    public const string InstantQuery = "1002";
    public const string MonitorQuery = "8001";
    public const string AutoDetectQuery = "8002";
    public const string Subscribe = "1008";
    public const string MonitorSubscribe = "8008";
    public const string CreateWaybill = "1007";
    public const string CancelWaybill = "1147";
    public const string BookPickupLegacy = "1001";
    public const string CancelPickupLegacy = "1004";
    public const string BookPickup = "1801";
    public const string CancelPickup = "1802";
    public const string RecogniseCarrier = "2002";
    public const string ParseAddress = "6001";
}
