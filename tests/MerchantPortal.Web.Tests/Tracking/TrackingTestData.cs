using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using TrackingEvent = MerchantPortal.Web.Features.Tracking.TrackingEvent;

namespace MerchantPortal.Web.Tests.Tracking;

/// <summary>Shipments and signed pushes as the aggregator sends them (carrier-protocol.md §2.5).</summary>
internal static class TrackingTestData
{
    public const string EBusinessId = "test1617571";
    public const string AppKey = "sandbox-appkey-0001-demo";

    public sealed record Trace(string BeijingTime, string Station, string Action, string? Location = "杭州市");

    public static string NewZtoNumber() => "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Shipment> CreateShipmentAsync(PortalFactory factory, string trackingNo, string shipperCode = "ZTO", DateTime? subscribedAtUtc = null, DateTime? nextCheckAtUtc = null, ShipmentStatus status = ShipmentStatus.Pending)
    {
        var dbFactory = factory.GetService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var accountId = await AccountAsync(factory, shipperCode);
        var shipment = new Shipment
        {
            CarrierAccountId = accountId,
            ShipperCode = shipperCode,
            TrackingNo = trackingNo,
            Status = status,
            CreatedAtUtc = DateTime.UtcNow,
            NextCheckAtUtc = status.IsFinal() ? null : nextCheckAtUtc ?? DateTime.UtcNow.AddHours(4),
            SubscribedAtUtc = subscribedAtUtc,
            Version = Guid.NewGuid(),
        };
        db.Add(shipment);
        await db.SaveChangesAsync();
        return shipment;
    }

    /// <summary>
    /// An account of the tests' own: the access-matrix walk disables account 1 (the demo ZTO account) in the shared
    /// portal, and a disabled account's shipments are not polled.
    /// </summary>
    private static async Task<int> AccountAsync(PortalFactory factory, string shipperCode)
    {
        var name = "tracking tests " + shipperCode;
        await using (var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            if (await db.Set<CarrierAccount>().Where(a => a.Name == name).Select(a => (int?)a.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }
        }
        var created = await factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Sandbox, null, EBusinessId, AppKey, shipperCode, "acct", null, "7550001", null, null), "test");
        return created.Id;
    }

    public static async Task<(Shipment Shipment, List<TrackingEvent> Events)> LoadAsync(PortalFactory factory, string trackingNo)
    {
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var shipment = await db.Set<Shipment>().AsNoTracking().SingleAsync(s => s.TrackingNo == trackingNo);
        var events = await db.Set<TrackingEvent>().AsNoTracking().Where(e => e.ShipmentId == shipment.Id).OrderBy(e => e.TimeUtc).ToListAsync();
        return (shipment, events);
    }

    public static string PushJson(string trackingNo, string state, string stateEx, params Trace[] traces) =>
        PushJsonFrom(EBusinessId, [("ZTO", trackingNo)], state, stateEx, traces);

    /// <summary>A push of the merchant <paramref name="eBusinessId"/> naming each parcel by carrier and number, all in one state.</summary>
    public static string PushJsonFrom(string eBusinessId, IReadOnlyList<(string ShipperCode, string TrackingNo)> parcels, string state, string stateEx, params Trace[] traces) => JsonSerializer.Serialize(new
    {
        EBusinessID = eBusinessId,
        PushTime = "2026-11-28 10:00:00",
        Count = parcels.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Data = parcels.Select(p => new
        {
            EBusinessID = eBusinessId,
            OrderCode = "",
            ShipperCode = p.ShipperCode,
            LogisticCode = p.TrackingNo,
            Success = true,
            Reason = "",
            State = state,
            StateEx = stateEx,
            Location = traces.LastOrDefault()?.Location,
            Traces = traces.Select(t => new { AcceptTime = t.BeijingTime, AcceptStation = t.Station, Location = t.Location, Action = t.Action }).ToArray(),
        }).ToArray(),
    });

    /// <summary>Waits until a condition holds (never a fixed sleep); fails with the last value seen.</summary>
    public static Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, Func<T, string>? describe = null) =>
        Waits.ForAsync(read, done, timeout, describe);

    /// <summary>Posts a push like the aggregator: a form with RequestData, RequestType 102 and DataSign.</summary>
    public static async Task<JsonElement> PushAsync(PortalFactory factory, string requestData, string? sign = null)
    {
        using var client = factory.CreateApiClient(apiKey: null);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = requestData,
            ["RequestType"] = "102",
            ["DataSign"] = sign ?? KdniaoSigner.Sign(requestData, AppKey),
        });
        var response = await client.PostAsync(TrackingEndpoints.PushPath, form);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
