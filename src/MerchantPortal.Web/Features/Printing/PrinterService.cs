using System.Net;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Printing;

public sealed record PrinterInput(
    int WarehouseId, string Name, PrinterConnection Connection, PrinterLanguage Language, string? Host, int Port,
    LabelSize LabelSize, int Dpi, bool IsDefault, bool Active = true);

public sealed record PrinterView(
    int Id, int WarehouseId, string WarehouseName, string Name, PrinterConnection Connection, PrinterLanguage Language, string? Host, int Port,
    LabelSize LabelSize, int Dpi, bool IsDefault, bool Active, DateTime? LastSuccessAtUtc, DateTime? LastFailureAtUtc, string? LastError)
{
    /// <summary>The last try failed (and none succeeded since).</summary>
    public bool Unreachable => LastFailureAtUtc is { } failed && (LastSuccessAtUtc is null || LastSuccessAtUtc < failed);
}

public sealed class PrinterValidationException(FieldProblems problems) : Exception("The printer is not valid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}")))
{
    public FieldProblems Problems { get; } = problems;
}

public sealed record TestPrintResult(bool Ok, string? Error, byte[]? Pdf = null);

/// <summary>
/// The printers of each warehouse (Admin, /admin/printers): raw TCP (ZPL or TSPL on port 9100) or the browser (PDF).
/// One default per warehouse: making a printer the default takes it from the other. A printer with jobs is not
/// deleted but made inactive, so its jobs keep their history.
/// </summary>
public sealed class PrinterService(
    IDbContextFactory<PortalDbContext> dbFactory,
    PrintRendering rendering,
    RawTcpPrinter transport,
    IOptions<PrintingOptions> options,
    TimeProvider clock,
    IStringLocalizer<PrintingResources> L)
{
    public async Task<IReadOnlyList<PrinterView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Printer>().AsNoTracking()
            .Join(db.Set<Warehouse>(), p => p.WarehouseId, w => w.Id, (p, w) => new { p, w.Name, w.Code })
            .OrderBy(x => x.Code).ThenBy(x => x.p.Name)
            .Select(x => new PrinterView(x.p.Id, x.p.WarehouseId, x.Name, x.p.Name, x.p.Connection, x.p.Language, x.p.Host, x.p.Port,
                x.p.LabelSize, x.p.Dpi, x.p.IsDefault, x.p.Active, x.p.LastSuccessAtUtc, x.p.LastFailureAtUtc, x.p.LastError))
            .ToListAsync(ct);
    }

    public async Task<PrinterView?> GetAsync(int id, CancellationToken ct = default) =>
        (await ListAsync(ct)).FirstOrDefault(p => p.Id == id);

    /// <summary>Creates (id null) or updates a printer; throws <see cref="PrinterValidationException"/> naming the fields, <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    public async Task<PrinterView> SaveAsync(int? id, PrinterInput input, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var problems = await ValidateAsync(db, id, input, ct);
        if (problems.Any)
        {
            throw new PrinterValidationException(problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Printer printer;
        if (id is { } existing)
        {
            printer = await db.Set<Printer>().FirstOrDefaultAsync(p => p.Id == existing, ct) ?? throw new KeyNotFoundException($"Printer {existing}");
        }
        else
        {
            printer = new Printer { Name = "" };
            db.Add(printer);
        }
        printer.WarehouseId = input.WarehouseId;
        printer.Name = input.Name.Trim();
        printer.Connection = input.Connection;
        printer.Language = input.Connection == PrinterConnection.Browser ? PrinterLanguage.Pdf : input.Language;
        printer.Host = input.Connection == PrinterConnection.RawTcp ? input.Host!.Trim() : null;
        printer.Port = input.Port;
        printer.LabelSize = input.LabelSize;
        printer.Dpi = input.Dpi;
        printer.IsDefault = input.IsDefault && input.Active;
        printer.Active = input.Active;
        if (printer.IsDefault)
        {
            // One default per warehouse: the labels of a finished batch go to exactly one printer.
            await db.Set<Printer>().Where(p => p.WarehouseId == input.WarehouseId && p.Id != printer.Id && p.IsDefault)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.IsDefault, false), ct);
        }
        await db.SaveChangesAsync(ct);
        db.Audit(now, actor, id is null ? "printers.create" : "printers.update", "Printer", printer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{printer.Name} {printer.Connection} {printer.Language} {printer.Host}:{printer.Port} {printer.LabelSize}{(printer.IsDefault ? " default" : "")}{(printer.Active ? "" : " inactive")}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(printer.Id, ct))!;
    }

    private async Task<FieldProblems> ValidateAsync(PortalDbContext db, int? id, PrinterInput input, CancellationToken ct)
    {
        var problems = new FieldProblems();
        if (!await db.Set<Warehouse>().AnyAsync(w => w.Id == input.WarehouseId, ct))
        {
            problems.Add("warehouseId", L["Printer.Error.Warehouse"]);
        }
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            problems.Add("name", L["Printer.Error.Name"]);
        }
        else if (await db.Set<Printer>().AnyAsync(p => p.WarehouseId == input.WarehouseId && p.Name == name && p.Id != (id ?? 0), ct))
        {
            problems.Add("name", L["Printer.Error.NameTaken"]);
        }
        if (!Enum.IsDefined(input.Connection))
        {
            problems.Add("connection", L["Printer.Error.Connection"]);
        }
        if (!Enum.IsDefined(input.Language) || (input.Connection == PrinterConnection.RawTcp && input.Language == PrinterLanguage.Pdf))
        {
            problems.Add("language", L["Printer.Error.Language"]);
        }
        if (input.Connection == PrinterConnection.RawTcp && !IsHost(input.Host))
        {
            problems.Add("host", L["Printer.Error.Host"]);
        }
        if (input.Port is < 1 or > 65535)
        {
            problems.Add("port", L["Printer.Error.Port"]);
        }
        if (!Enum.IsDefined(input.LabelSize))
        {
            problems.Add("labelSize", L["Printer.Error.LabelSize"]);
        }
        if (input.Dpi is not (203 or 300))
        {
            problems.Add("dpi", L["Printer.Error.Dpi"]);
        }
        return problems;
    }

    /// <summary>An IP address or a DNS name (letters, digits, hyphens and dots), at most 255 characters.</summary>
    private static bool IsHost(string? host)
    {
        host = host?.Trim();
        if (string.IsNullOrEmpty(host) || host.Length > 255)
        {
            return false;
        }
        return IPAddress.TryParse(host, out _)
            || host.Split('.').All(part => part.Length is > 0 and <= 63 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && part[0] != '-' && part[^1] != '-');
    }

    /// <summary>
    /// Sends one sample label to a raw-TCP printer (and records the outcome on it, as a job would), or returns the sample
    /// as a PDF for a browser printer. Printers sit on the warehouse LAN, so private addresses are allowed here, unlike
    /// for carrier endpoints: only an Admin configures them.
    /// </summary>
    public async Task<TestPrintResult?> TestPrintAsync(int id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var printer = await db.Set<Printer>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (printer is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var sample = SampleLabel(printer, new DateTimeOffset(BusinessCalendar.ToBusinessTime(now), BusinessCalendar.Offset));
        db.Audit(now, actor, "printers.test", "Printer", id.ToString(System.Globalization.CultureInfo.InvariantCulture), printer.Name);
        await db.SaveChangesAsync(ct);
        if (printer.Connection == PrinterConnection.Browser)
        {
            return new TestPrintResult(true, null, rendering.Render(printer, [sample]));
        }
        try
        {
            await transport.SendAsync(printer.Host!, printer.Port, rendering.Render(printer, [sample]), options.Value.SendTimeout, ct);
            await db.Set<Printer>().Where(p => p.Id == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastSuccessAtUtc, now).SetProperty(p => p.LastError, (string?)null), ct);
            return new TestPrintResult(true, null);
        }
        catch (PrinterUnreachableException e)
        {
            var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            await db.Set<Printer>().Where(p => p.Id == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.LastFailureAtUtc, now).SetProperty(p => p.LastError, error), ct);
            return new TestPrintResult(false, error);
        }
    }

    /// <summary>The test label: says which printer, size and language it came from, with a scannable test number.</summary>
    public static LabelData SampleLabel(Printer printer, DateTimeOffset printedAt) => new()
    {
        CarrierCode = "TEST",
        CarrierName = "测试打印",
        TrackingNo = "TEST0000000001",
        MarkDestination = "测试 000-000",
        SortingCode = printer.LabelSize switch { LabelSize.Mm76x130 => "76×130", LabelSize.Mm100x180 => "100×180", _ => "100×150" },
        Sender = new LabelParty("MerchantPortal", "4000000000", "浙江省", "杭州市", "西湖区", printer.Name),
        Receiver = new LabelParty(printer.Name, "13800000000", "浙江省", "杭州市", "西湖区", $"{printer.Language} {printer.Dpi} dpi {printer.Host}:{printer.Port}"),
        ItemSummary = "测试标签 ×1",
        OrderNo = "TEST",
        PrintedAt = printedAt,
    };
}
