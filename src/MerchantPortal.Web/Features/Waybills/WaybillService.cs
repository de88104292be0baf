using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Waybills;

public enum VoidOutcome
{
    Voided,
    NotFound,
    AlreadyVoided,
    /// <summary>The carrier refused (typically: already picked up); <see cref="VoidResult.Reason"/> has its words.</summary>
    Refused,
    /// <summary>The carrier could not be reached or its answer not read; <see cref="VoidResult.Reason"/> has the gateway's English text.</summary>
    CarrierUnavailable,
}

public sealed record VoidResult(VoidOutcome Outcome, string? Reason = null);

public sealed record WaybillView(long Id, string OrderNo, string ShipperCode, string TrackingNo, string OrderCode, long? BatchId, bool Live,
    DateTime IssuedAtUtc, DateTime? VoidedAtUtc, string? VoidedBy, string? MarkDestination);

public sealed record HandoverRow(string TrackingNo, string OrderNo, string Receiver, string Destination, decimal WeightKg, DateTime IssuedAtUtc);

public sealed record HandoverList(string ShipperCode, string CarrierName, DateOnly Day, IReadOnlyList<HandoverRow> Rows);

public enum LabelFormat
{
    Pdf,
    Zpl,
    Tspl,
}

/// <summary>Single waybills: void (1147), labels (merged in pick order, or one), an order's waybills, the handover list.</summary>
public sealed class WaybillService(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierClient carriers,
    LabelPdfRenderer pdf,
    LabelZplRenderer zpl,
    LabelTsplRenderer tspl,
    TimeProvider clock)
{
    /// <summary>What is wrong with a request for the handover list: the day, and the format (json or pdf).</summary>
    public static FieldProblems HandoverProblems(DateOnly? day, string? format)
    {
        var problems = new FieldProblems();
        if (HandoverDayProblem(day) is { } dayProblem)
        {
            problems.Add("day", dayProblem);
        }
        if (format is not (null or "json" or "pdf"))
        {
            problems.Add("format", "format is json (default) or pdf.");
        }
        return problems;
    }

    /// <summary>
    /// A day far outside any real one (0001-01-01) underflows the Beijing-day arithmetic in HandoverAsync: refused with
    /// a reason instead of a server error.
    /// </summary>
    public static string? HandoverDayProblem(DateOnly? day) => day is { } d && (d.Year < 2000 || d.Year > 2100)
        ? $"day is a Beijing date (yyyy-MM-dd) between 2000 and 2100; it was {d:yyyy-MM-dd}."
        : null;

    /// <summary>
    /// Voids at the carrier first, then in the database (LiveOrderId → null, kept in the history), and puts the order
    /// back to Approved so it can get a new waybill (the next one uses the next OrderCode generation).
    /// </summary>
    public async Task<VoidResult> VoidAsync(string trackingNo, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waybill = await db.Set<Waybill>().AsNoTracking().Where(w => w.TrackingNo == trackingNo.Trim()).OrderByDescending(w => w.Id).FirstOrDefaultAsync(ct);
        if (waybill is null)
        {
            return new VoidResult(VoidOutcome.NotFound);
        }
        if (waybill.LiveOrderId is null)
        {
            return new VoidResult(VoidOutcome.AlreadyVoided);
        }
        var result = await carriers.CallAsync(waybill.CarrierAccountId, (g, c, t) => g.CancelWaybillAsync(c, waybill.OrderCode, waybill.TrackingNo, waybill.ShipperCode, t), ct);
        if (!result.Success)
        {
            var reason = string.Join(" ", new[] { result.ResultCode, result.Reason }.Where(s => !string.IsNullOrWhiteSpace(s)));
            return new VoidResult(result.Error == CarrierErrorKind.Rejected ? VoidOutcome.Refused : VoidOutcome.CarrierUnavailable, reason);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Set<Waybill>().Where(w => w.Id == waybill.Id && w.LiveOrderId != null)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.LiveOrderId, (long?)null).SetProperty(w => w.VoidedAtUtc, now).SetProperty(w => w.VoidedBy, actor), ct);
        if (changed == 0)
        {
            return new VoidResult(VoidOutcome.AlreadyVoided);
        }
        await OrderLifecycle.WaybillVoidedAsync(db, waybill.OrderId, new OrderCause(actor, "WaybillVoided", $"{waybill.ShipperCode} {waybill.TrackingNo}"), now, ct);
        db.Audit(now, actor, "waybills.void", "Waybill", waybill.TrackingNo, waybill.OrderNo);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new VoidResult(VoidOutcome.Voided);
    }

    public async Task<IReadOnlyList<WaybillView>> ForOrderAsync(long orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Waybill>().AsNoTracking().Where(w => w.OrderId == orderId).OrderByDescending(w => w.Id)
            .Select(w => new WaybillView(w.Id, w.OrderNo, w.ShipperCode, w.TrackingNo, w.OrderCode, w.BatchId, w.LiveOrderId != null, w.IssuedAtUtc, w.VoidedAtUtc, w.VoidedBy, w.MarkDestination))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The batch's live labels as one file, in pick order (warehouse, first line's SKU, order number: see
    /// <see cref="WaybillContent.PickKey"/>). Null when the batch has no live waybill.
    /// </summary>
    public Task<byte[]?> BatchLabelsAsync(long batchId, LabelFormat format, CancellationToken ct = default) =>
        BatchLabelsAsync(batchId, format, LabelSize.Mm100x150, ct);

    /// <summary>The batch's live labels in pick order, in one of the three label sizes.</summary>
    public async Task<byte[]?> BatchLabelsAsync(long batchId, LabelFormat format, LabelSize size, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Set<Waybill>().AsNoTracking().Where(w => w.BatchId == batchId && w.LiveOrderId != null)
            .OrderBy(w => w.PickKey).ThenBy(w => w.Id).Select(w => w.LabelJson).ToListAsync(ct);
        return json.Count == 0 ? null : Render(json, format, size, ct);
    }

    /// <summary>One waybill's label (reprint), live or not: a voided label is still shown, but only in the history.</summary>
    public async Task<byte[]?> LabelAsync(string trackingNo, LabelFormat format, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Set<Waybill>().AsNoTracking().Where(w => w.TrackingNo == trackingNo && w.LiveOrderId != null).Select(w => w.LabelJson).FirstOrDefaultAsync(ct);
        return json is null ? null : Render([json], format, LabelSize.Mm100x150, ct);
    }

    private byte[] Render(IReadOnlyList<string> json, LabelFormat format, LabelSize size, CancellationToken ct)
    {
        var printedAt = new DateTimeOffset(BusinessCalendar.ToBusinessTime(clock.GetUtcNow().UtcDateTime), BusinessCalendar.Offset);
        var labels = json.Select(j => WaybillContent.Deserialize(j, printedAt));
        return format switch
        {
            LabelFormat.Zpl => zpl.RenderUtf8(labels, size),
            LabelFormat.Tspl => tspl.RenderBytes(labels, size),
            _ => pdf.Render(labels, size, ct),
        };
    }

    /// <summary>The handover list (交接单): live waybills issued on a Beijing day, per carrier, in pick order.</summary>
    public Task<IReadOnlyList<HandoverList>> HandoverAsync(DateOnly day, CancellationToken ct = default) => HandoverAsync(day, null, ct);

    /// <summary>The handover list of one carrier (its code), or of every carrier when <paramref name="shipperCode"/> is empty.</summary>
    public async Task<IReadOnlyList<HandoverList>> HandoverAsync(DateOnly day, string? shipperCode, CancellationToken ct = default)
    {
        shipperCode = string.IsNullOrWhiteSpace(shipperCode) ? null : shipperCode.Trim();
        var start = DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - BusinessCalendar.Offset, DateTimeKind.Utc);
        var end = start.AddDays(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<Waybill>().AsNoTracking()
            .Where(w => w.LiveOrderId != null && w.IssuedAtUtc >= start && w.IssuedAtUtc < end)
            .Where(w => shipperCode == null || w.ShipperCode == shipperCode)
            .Join(db.Set<Order>(), w => w.OrderId, o => o.Id, (w, o) => new { w.ShipperCode, w.PickKey, Row = new HandoverRow(w.TrackingNo, w.OrderNo, o.ReceiverName, o.Province + o.City, o.TotalWeightKg, w.IssuedAtUtc) })
            .ToListAsync(ct);
        return [.. rows.GroupBy(r => r.ShipperCode).OrderBy(g => g.Key)
            .Select(g => new HandoverList(g.Key, WaybillContent.CarrierName(g.Key), day, [.. g.OrderBy(r => r.PickKey, StringComparer.Ordinal).Select(r => r.Row)]))];
    }

    /// <summary>The handover list as a printable A4 PDF: one section per carrier with a signature line.</summary>
    public async Task<byte[]> HandoverPdfAsync(DateOnly day, string? shipperCode = null, CancellationToken ct = default) =>
        HandoverPdf.Render(await HandoverAsync(day, shipperCode, ct));
}

