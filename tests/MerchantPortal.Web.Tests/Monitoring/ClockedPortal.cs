using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// A portal whose "now" is a <see cref="FakeTimeProvider"/> the test moves. The Hangfire server is off so that the
/// recurring sweeps run only when the test calls them (on its clock, not the machine's).
/// </summary>
public sealed class ClockedPortal : PortalFactory
{
    public ClockedPortal(string? dataDirectory = null, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
        : base(dataDirectory, Merge(overrides))
    {
        this.services = services;
    }

    private readonly Action<IServiceCollection>? services;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    private static Dictionary<string, string?> Merge(IDictionary<string, string?>? overrides)
    {
        // Demo shipments would be a backlog of their own for the rules and caps these tests count.
        var all = new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["DemoData:Shipments"] = "0" };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }
        return all;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            services?.Invoke(s);
        });
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async Task<PortalDbContext> DbAsync() => await GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    /// <summary>A shipment on an order of its own, created "now" on the fake clock with the facts the test sets.</summary>
    public async Task<Shipment> ShipmentAsync(Action<Shipment>? facts = null, string shipperCode = "ZTO")
    {
        Start();
        await using var db = await DbAsync();
        var accountId = await db.Set<CarrierAccount>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        var no = "MON-" + Guid.NewGuid().ToString("N")[..12];
        var order = new Order
        {
            OrderNo = no, ReceiverName = "韩梅梅", ReceiverPhone = "13900139000", PhoneLast4 = "9000", Province = "上海",
            CreatedAtUtc = Now, UpdatedAtUtc = Now, Status = OrderStatus.Shipped,
        };
        db.Add(order);
        await db.SaveChangesAsync();
        var shipment = new Shipment
        {
            OrderId = order.Id, CarrierAccountId = accountId, ShipperCode = shipperCode,
            TrackingNo = "7" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = ShipmentStatus.Pending, CreatedAtUtc = Now, StatusChangedAtUtc = Now, Version = Guid.NewGuid(),
            OriginProvince = "浙江", DestinationProvince = "上海",
        };
        facts?.Invoke(shipment);
        db.Add(shipment);
        await db.SaveChangesAsync();
        return shipment;
    }

    public Task<int> ScanAsync() => GetService<MonitoringScanJob>().RunAsync(CancellationToken.None);

    public async Task<List<ExceptionCase>> CasesAsync(long shipmentId)
    {
        await using var db = await DbAsync();
        return await db.Set<ExceptionCase>().AsNoTracking().Where(c => c.ShipmentId == shipmentId).OrderBy(c => c.Id).ToListAsync();
    }

    /// <summary>Moves a shipment the way the tracking writer does: facts, then the observers, then one SaveChanges.</summary>
    public async Task TransitionAsync(long shipmentId, ShipmentStatus to, string? stateEx = null)
    {
        await using var db = await DbAsync();
        var s = await db.Set<Shipment>().SingleAsync(x => x.Id == shipmentId);
        var from = s.Status;
        s.Status = to;
        s.RawStateEx = stateEx;
        s.StatusChangedAtUtc = Now;
        s.LastEventAtUtc = Now;
        s.Version = Guid.NewGuid();
        var transitions = new[] { new ShipmentTransition(s, from, to, Now, TrackingSource.Push) };
        foreach (var observer in GetService<ShipmentObservers>().InOrder)
        {
            await observer.OnTransitionsAsync(db, transitions, CancellationToken.None);
        }
        await db.SaveChangesAsync();
    }

    public async Task<bool> OrderFlagAsync(long shipmentId)
    {
        await using var db = await DbAsync();
        var orderId = await db.Set<Shipment>().Where(s => s.Id == shipmentId).Select(s => s.OrderId).SingleAsync();
        return await db.Set<Order>().Where(o => o.Id == orderId).Select(o => o.HasOpenException).SingleAsync();
    }
}
