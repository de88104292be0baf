using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>
/// Sends due print jobs to their raw-TCP printers. Per printer, jobs go out strictly in queue order (id: a batch's jobs
/// were inserted in pick order, and Sequence says so): the sender claims a run of due jobs from the head of the
/// printer's queue with a lease (one conditional UPDATE whose lease time is this claim's token), renders them in the
/// printer's language and size, writes them in one connection and marks them Sent. On failure the whole run is put
/// back with an exponential back-off (Attempts + 1) and, after <see cref="PrintingOptions.MaxAttempts"/>, marked
/// Failed with the error. A head job that is not due yet blocks the jobs behind it, so a later label never overtakes
/// an earlier unsent one of the same printer; a printer another sender holds (an unexpired lease) is left to it.
/// A sender that dies leaves its run Sending until the lease lapses; the next sender takes it over (the label may
/// then print twice, which a packer notices; it is never lost).
/// </summary>
public sealed class PrintSender(
    IDbContextFactory<PortalDbContext> dbFactory,
    PrintRendering rendering,
    RawTcpPrinter transport,
    IOptions<PrintingOptions> options,
    TimeProvider clock,
    ILogger<PrintSender> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Sends every due run of every printer once; returns the number of jobs sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<int> printers;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            printers = await db.Set<PrintJob>().AsNoTracking()
                .Where(j => j.Status == PrintJobStatus.Queued || j.Status == PrintJobStatus.Sending)
                .Select(j => j.PrinterId).Distinct().ToListAsync(ct);
        }
        var sent = 0;
        foreach (var printerId in printers)
        {
            // A printer's runs one after another until its queue is empty or its head is not due.
            while (await SendRunAsync(printerId, ct) is { } count && count > 0)
            {
                sent += count;
            }
        }
        return sent;
    }

    /// <summary>One run of the printer's queue head (an inactive printer's jobs wait until it is active again): the count sent, 0 when nothing was due, null when it failed.</summary>
    private async Task<int?> SendRunAsync(int printerId, CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var printer = await db.Set<Printer>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == printerId, ct);
        if (printer is null || !printer.Active || printer.Connection != PrinterConnection.RawTcp || string.IsNullOrWhiteSpace(printer.Host))
        {
            return 0;
        }
        var head = await db.Set<PrintJob>().AsNoTracking()
            .Where(j => j.PrinterId == printerId && (j.Status == PrintJobStatus.Queued || j.Status == PrintJobStatus.Sending))
            .OrderBy(j => j.Id).Take(settings.LabelsPerSend)
            .Select(j => new { j.Id, j.Status, j.NextAttemptAtUtc, j.LeaseUntilUtc, j.WaybillId, j.Attempts }).ToListAsync(ct);
        if (head.Count == 0 || head.Any(j => j.Status == PrintJobStatus.Sending && j.LeaseUntilUtc >= now))
        {
            return 0; // empty, or another sender holds this printer
        }
        // The run: from the head, while due; a job waiting for its retry stops it (no overtaking).
        var run = head.TakeWhile(j => j.NextAttemptAtUtc is null || j.NextAttemptAtUtc <= now).ToList();
        if (run.Count == 0)
        {
            return 0;
        }
        var ids = run.Select(j => j.Id).ToList();
        // The lease end doubles as this claim's token: unique enough (ticks plus a random offset) to tell our rows apart.
        var token = now + Lease + TimeSpan.FromTicks(Random.Shared.Next(1, 10_000_000));
        var claimed = await db.Set<PrintJob>()
            .Where(j => ids.Contains(j.Id) && (j.Status == PrintJobStatus.Queued || (j.Status == PrintJobStatus.Sending && j.LeaseUntilUtc < now)))
            .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, PrintJobStatus.Sending).SetProperty(j => j.LeaseUntilUtc, token), ct);
        if (claimed != ids.Count)
        {
            // Lost part of the run to another sender: give back what we took, in order, and let the winner go on.
            await db.Set<PrintJob>().Where(j => ids.Contains(j.Id) && j.LeaseUntilUtc == token)
                .ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, PrintJobStatus.Queued).SetProperty(j => j.LeaseUntilUtc, (DateTime?)null), CancellationToken.None);
            return 0;
        }
        try
        {
            var bytes = await rendering.RenderJobsAsync(db, printer, ids, ct);
            await transport.SendAsync(printer.Host!, printer.Port, bytes, settings.SendTimeout, ct);
        }
        catch (Exception e) when (e is PrinterUnreachableException or PrintRenderException)
        {
            await FailAsync(db, printer, ids, token, run.Max(j => j.Attempts) + 1, e.Message);
            return null;
        }
        var done = clock.GetUtcNow().UtcDateTime;
        await db.Set<PrintJob>().Where(j => ids.Contains(j.Id) && j.LeaseUntilUtc == token)
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, PrintJobStatus.Sent).SetProperty(j => j.SentAtUtc, done)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1).SetProperty(j => j.LeaseUntilUtc, (DateTime?)null)
                .SetProperty(j => j.LastError, (string?)null), CancellationToken.None);
        await db.Set<Printer>().Where(p => p.Id == printer.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSuccessAtUtc, done).SetProperty(p => p.LastError, (string?)null), CancellationToken.None);
        return ids.Count;
    }

    private async Task FailAsync(PortalDbContext db, Printer printer, List<long> ids, DateTime token, int attempts, string error)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        error = error.Length > 500 ? error[..500] : error;
        var failed = attempts >= settings.MaxAttempts;
        var delay = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        DateTime? next = failed ? null : now + delay;
        await db.Set<PrintJob>().Where(j => ids.Contains(j.Id) && j.LeaseUntilUtc == token)
            .ExecuteUpdateAsync(u => u
                .SetProperty(j => j.Status, failed ? PrintJobStatus.Failed : PrintJobStatus.Queued)
                .SetProperty(j => j.Attempts, attempts).SetProperty(j => j.NextAttemptAtUtc, next)
                .SetProperty(j => j.LeaseUntilUtc, (DateTime?)null).SetProperty(j => j.LastError, error), CancellationToken.None);
        await db.Set<Printer>().Where(p => p.Id == printer.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.LastFailureAtUtc, now).SetProperty(p => p.LastError, error), CancellationToken.None);
        logger.LogWarning("Printer {Printer} ({Host}:{Port}): {Count} job(s) not sent, attempt {Attempt}{Final}: {Error}",
            printer.Name, printer.Host, printer.Port, ids.Count, attempts, failed ? " (giving up)" : "", error);
    }
}

/// <summary>A job whose document cannot be rendered (its waybill is gone, a tracking number too long for the label).</summary>
public sealed class PrintRenderException(string message) : Exception(message);

/// <summary>Renders print jobs and sample labels in a printer's language, size and resolution.</summary>
public sealed class PrintRendering(LabelPdfRenderer pdf, LabelZplRenderer zpl, LabelTsplRenderer tspl, TimeProvider clock)
{
    public byte[] Render(Printer printer, IReadOnlyList<LabelData> labels) => printer.Language switch
    {
        PrinterLanguage.Zpl => zpl.RenderUtf8(labels, printer.LabelSize, printer.Dpi),
        PrinterLanguage.Tspl => tspl.RenderBytes(labels, printer.LabelSize, printer.Dpi),
        _ => pdf.Render(labels, printer.LabelSize),
    };

    /// <summary>The jobs' labels in job order, as one program for the printer.</summary>
    public async Task<byte[]> RenderJobsAsync(PortalDbContext db, Printer printer, IReadOnlyList<long> jobIds, CancellationToken ct)
    {
        var rows = await db.Set<PrintJob>().AsNoTracking().Where(j => jobIds.Contains(j.Id))
            .Join(db.Set<Waybill>(), j => j.WaybillId, w => w.Id, (j, w) => new { j.Id, w.LabelJson })
            .ToListAsync(ct);
        if (rows.Count != jobIds.Count)
        {
            throw new PrintRenderException("A job's waybill no longer exists; only waybill labels can be printed here.");
        }
        var printedAt = new DateTimeOffset(BusinessCalendar.ToBusinessTime(clock.GetUtcNow().UtcDateTime), BusinessCalendar.Offset);
        var byId = rows.ToDictionary(r => r.Id, r => r.LabelJson);
        try
        {
            return Render(printer, [.. jobIds.Select(id => WaybillContent.Deserialize(byId[id], printedAt))]);
        }
        catch (ArgumentException e)
        {
            throw new PrintRenderException(e.Message);
        }
    }
}
