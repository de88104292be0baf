using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Settings;
using MerchantPortal.Web.Features.Orders;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>
/// Automatic waybills (Admin setting <see cref="SettingKey"/>): approved orders get their waybill at once, through a
/// batch of the same machinery (so the same exactly-once guarantees), one batch per warehouse so each uses its
/// warehouse's default carrier account (else the default account).
/// </summary>
public sealed class AutoWaybills(PortalSettings settings, IDbContextFactory<PortalDbContext> dbFactory, WaybillBatchService batches, ILogger<AutoWaybills> logger)
    : IOrderApprovedHandler
{
    public const string SettingKey = "waybills.autoOnApproval";

    public Task<bool> IsOnAsync(CancellationToken ct = default) => IsOnAsync(settings, ct);

    /// <summary>Whether it is on, for a page that only says so (and so needs none of the batch machinery).</summary>
    public static Task<bool> IsOnAsync(PortalSettings settings, CancellationToken ct = default) => settings.GetAsync(SettingKey, false, ct);

    public Task SetAsync(bool on, string actor, CancellationToken ct = default) => settings.SetAsync(SettingKey, on, actor, ct);

    public async Task OnApprovedAsync(IReadOnlyList<string> orderNos, string actor, CancellationToken ct)
    {
        if (!await IsOnAsync(ct))
        {
            return;
        }
        try
        {
            var byWarehouse = new List<(string OrderNo, int? WarehouseId)>(orderNos.Count);
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                foreach (var chunk in orderNos.Chunk(500))
                {
                    byWarehouse.AddRange((await db.Set<Order>().Where(o => chunk.Contains(o.OrderNo)).Select(o => new { o.OrderNo, o.WarehouseId }).ToListAsync(ct))
                        .Select(o => (o.OrderNo, o.WarehouseId)));
                }
            }
            foreach (var group in byWarehouse.GroupBy(o => o.WarehouseId))
            {
                var result = await batches.CreateAsync([.. group.Select(o => o.OrderNo)], null, null, actor, "auto", ct);
                if (result.Outcome != CreateBatchOutcome.Created)
                {
                    logger.LogWarning("Automatic waybills for {Count} approved order(s) not started: {Outcome}", group.Count(), result.Outcome);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The approval is committed and stands; the orders stay Approved and can be batched by hand.
            logger.LogError(ex, "Automatic waybills for {Count} approved order(s) failed", orderNos.Count);
        }
    }
}
