using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.PrinterSandbox;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;
using Microsoft.EntityFrameworkCore;
using PrinterLanguage = MerchantPortal.Web.Features.Printing.PrinterLanguage;

namespace MerchantPortal.Web.Tests.Printing;

/// <summary>A portal whose print queue runs every 100 ms and retries after 100–400 ms, so the tests wait on seconds, not minutes.</summary>
public sealed class PrintingPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?>(WaybillTestData.Settings())
    {
        ["Printing:PollInterval"] = "00:00:00.100",
        ["Printing:RetryDelay"] = "00:00:00.100",
        ["Printing:MaxRetryDelay"] = "00:00:00.400",
        ["Printing:MaxAttempts"] = "1000",
    });

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>Labels go to the simulated printer on loopback by themselves, in pick order, survive the printer being down, and reprints are limited.</summary>
[Collection(WaybillCollection.Name)]
public class PrintQueueTests(PrintingPortal portal) : IClassFixture<PrintingPortal>
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task With_auto_waybill_on_approving_100_orders_prints_100_labels_in_pick_order_without_a_click()
    {
        await using var printer = PrinterSimulator.Start();
        await DefaultPrinterAsync(printer, PrinterLanguage.Tspl, LabelSize.Mm76x130);
        // SKUs out of order, so pick order (warehouse, first SKU, order number) differs from the order numbers.
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, 100, skus: ["SKU-C", "SKU-A", "SKU-B"], status: OrderStatus.PendingReview);
        var auto = Factory.GetService<AutoWaybills>();
        await auto.SetAsync(true, "admin@demo.local");
        try
        {
            using var api = Factory.CreateApiClient();
            var response = await api.PostAsJsonAsync("/api/v1/orders/actions", new { action = "Approve", orderNos = orders });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var labels = await printer.WaitForLabelsAsync(100, TimeSpan.FromMinutes(3));

            Assert.Equal(100, labels.Count);
            await using var db = await WaybillTestData.Db(Factory);
            var pickOrder = await db.Set<Waybill>().AsNoTracking().Where(w => orders.Contains(w.OrderNo) && w.LiveOrderId != null)
                .OrderBy(w => w.BatchId).ThenBy(w => w.PickKey).ThenBy(w => w.Id).Select(w => w.TrackingNo).ToListAsync();
            Assert.Equal(pickOrder, labels.Select(l => Assert.Single(l.Barcodes).Data));
            Assert.All(labels, l => Assert.Equal((608, 1040), (l.WidthDots, l.HeightDots)));
            Assert.Equal(MerchantPortal.PrinterSandbox.PrinterLanguage.Tspl, printer.Jobs[0].Language);
        }
        finally
        {
            await auto.SetAsync(false, "admin@demo.local");
            await RetireAsync();
        }
    }

    [Fact]
    public async Task With_the_printer_down_the_batch_says_so_and_its_labels_print_when_it_is_back()
    {
        await using var printer = PrinterSimulator.Start();
        printer.SetOnline(false);
        var printerId = await DefaultPrinterAsync(printer, PrinterLanguage.Zpl, LabelSize.Mm100x150);
        try
        {
            var batchId = await FinishedBatchAsync(5);
            var service = Factory.GetService<PrintJobService>();

            var down = await Waits.ForAsync(() => service.BatchStateAsync(batchId), s => s.Count == 1 && s[0].Unreachable && s[0].Waiting == 5,
                TimeSpan.FromMinutes(1), s => string.Join("; ", s));
            Assert.Equal(printerId, down[0].PrinterId);
            Assert.Contains("127.0.0.1", down[0].LastError);
            using var api = Factory.CreateApiClient();
            var jobs = await api.GetFromJsonAsync<JsonElement>($"/api/v1/print-jobs?batchId={batchId}");
            Assert.All(jobs.EnumerateArray(), j => Assert.Equal("Queued", j.GetProperty("status").GetString()));
            Assert.All(jobs.EnumerateArray(), j => Assert.False(string.IsNullOrEmpty(j.GetProperty("lastError").GetString())));
            Assert.Empty(printer.Labels);

            printer.SetOnline(true);

            var labels = await printer.WaitForLabelsAsync(5, TimeSpan.FromMinutes(1));
            Assert.Equal(jobs.EnumerateArray().Select(j => j.GetProperty("trackingNo").GetString()), labels.Select(l => l.Barcodes[0].Data));
            var up = await Waits.ForAsync(() => service.BatchStateAsync(batchId), s => s[0].AllSent && !s[0].Unreachable);
            Assert.Equal(5, up[0].Sent);
        }
        finally
        {
            await RetireAsync();
        }
    }

    [Fact]
    public async Task A_label_is_reprinted_three_times_with_its_reason_and_audited_and_a_fourth_is_refused()
    {
        await using var printer = PrinterSimulator.Start();
        await DefaultPrinterAsync(printer, PrinterLanguage.Zpl, LabelSize.Mm100x180);
        try
        {
            var batchId = await FinishedBatchAsync(1);
            await printer.WaitForLabelsAsync(1, TimeSpan.FromMinutes(1));
            var original = (await Factory.GetService<PrintJobService>().ForBatchAsync(batchId)).Single();
            await Waits.ForAsync(() => Factory.GetService<PrintJobService>().GetAsync(original.Id), j => j!.Status == PrintJobStatus.Sent);
            using var api = Factory.CreateApiClient();

            for (var i = 1; i <= 3; i++)
            {
                var ok = await api.PostAsJsonAsync($"/api/v1/print-jobs/{original.Id}/reprint", new { reason = $"label torn {i}" });
                Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            }
            var refused = await api.PostAsJsonAsync($"/api/v1/print-jobs/{original.Id}/reprint", new { reason = "once more" });
            var noReason = await api.PostAsJsonAsync($"/api/v1/print-jobs/{original.Id}/reprint", new { reason = " " });

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("reprinted 3 times", await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            var labels = await printer.WaitForLabelsAsync(4, TimeSpan.FromMinutes(1));
            Assert.All(labels, l => Assert.Equal(original.TrackingNo, l.Barcodes[0].Data));
            var jobs = await Factory.GetService<PrintJobService>().ForBatchAsync(batchId);
            Assert.Equal(["label torn 1", "label torn 2", "label torn 3"], jobs.Where(j => j.ReprintOfJobId == original.Id).Select(j => j.ReprintReason));
            await using var db = await WaybillTestData.Db(Factory);
            var audit = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.Action == "printing.reprint" && a.EntityId == original.Id.ToString()).ToListAsync();
            Assert.Equal(3, audit.Count);
            Assert.Contains(audit, a => a.Details!.Contains("3/3", StringComparison.Ordinal) && a.Details.Contains("label torn 3", StringComparison.Ordinal));
        }
        finally
        {
            await RetireAsync();
        }
    }

    [Fact]
    public async Task Queuing_a_batch_several_times_at_once_queues_each_label_once()
    {
        await using var printer = PrinterSimulator.Start();
        await DefaultPrinterAsync(printer, PrinterLanguage.Tspl, LabelSize.Mm100x150);
        try
        {
            var batchId = await FinishedBatchAsync(8);
            var sweep = Factory.GetService<PrintQueueSweep>();

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => sweep.QueueBatchAsync(batchId, "test", CancellationToken.None))));
            await sweep.QueueFinishedBatchesAsync(CancellationToken.None);

            var jobs = await Factory.GetService<PrintJobService>().ForBatchAsync(batchId);
            Assert.Equal(8, jobs.Count);
            Assert.Equal(8, jobs.Select(j => j.TrackingNo).Distinct().Count());
            Assert.Equal(Enumerable.Range(1, 8), jobs.Select(j => j.Sequence));
            Assert.Equal(8, (await printer.WaitForLabelsAsync(8, TimeSpan.FromMinutes(1))).Count);
        }
        finally
        {
            await RetireAsync();
        }
    }

    [Fact]
    public async Task The_sender_never_sends_a_later_job_before_an_earlier_unsent_one_of_the_same_printer()
    {
        await using var printer = PrinterSimulator.Start();
        await DefaultPrinterAsync(printer, PrinterLanguage.Zpl, LabelSize.Mm100x150, isDefault: false);
        var batchId = await FinishedBatchAsync(4);
        var printerId = (await Factory.GetService<PrinterService>().ListAsync()).Single(p => p.Port == printer.Port).Id;
        long[] ids;
        await using (var db = await WaybillTestData.Db(Factory))
        {
            // A run as the sweep writes it, on a printer that is not the default (so nothing else queues there); the head waits for a retry.
            var waybills = await db.Set<Waybill>().AsNoTracking().Where(w => w.BatchId == batchId).OrderBy(w => w.PickKey).ThenBy(w => w.Id).ToListAsync();
            var jobs = waybills.Select((w, i) => new PrintJob
            {
                PrinterId = printerId, Document = PrintDocument.Label, BatchId = batchId, WaybillId = w.Id, OrderId = w.OrderId, Sequence = i + 1,
                Status = PrintJobStatus.Queued, CreatedBy = "test", CreatedAtUtc = DateTime.UtcNow,
                NextAttemptAtUtc = i == 0 ? DateTime.UtcNow.AddHours(1) : null,
            }).ToList();
            db.AddRange(jobs);
            await db.SaveChangesAsync();
            ids = [.. jobs.Select(j => j.Id)];
        }
        var sender = Factory.GetService<PrintSender>();

        await sender.SendDueAsync(CancellationToken.None);

        await using (var db = await WaybillTestData.Db(Factory))
        {
            Assert.All(await db.Set<PrintJob>().AsNoTracking().Where(j => ids.Contains(j.Id)).ToListAsync(), j => Assert.Equal(PrintJobStatus.Queued, j.Status));
            Assert.Empty(printer.Labels);
            await db.Set<PrintJob>().Where(j => j.Id == ids[0]).ExecuteUpdateAsync(u => u.SetProperty(j => j.NextAttemptAtUtc, (DateTime?)null));
        }

        await sender.SendDueAsync(CancellationToken.None);

        var labels = await printer.WaitForLabelsAsync(4, TimeSpan.FromMinutes(1));
        var expected = (await Factory.GetService<PrintJobService>().ForBatchAsync(batchId)).Where(j => j.PrinterId == printerId).OrderBy(j => j.Sequence).Select(j => j.TrackingNo);
        Assert.Equal(expected, labels.Select(l => l.Barcodes[0].Data));
    }

    [Fact]
    public async Task A_test_print_reaches_the_printer_and_an_unreachable_one_is_recorded_on_it()
    {
        await using var printer = PrinterSimulator.Start();
        var id = await DefaultPrinterAsync(printer, PrinterLanguage.Tspl, LabelSize.Mm76x130, isDefault: false);
        using var api = Factory.CreateApiClient();

        var ok = await api.PostAsync($"/api/v1/printers/{id}/test", null);
        printer.SetOnline(false);
        var down = await api.PostAsync($"/api/v1/printers/{id}/test", null);

        Assert.True((await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());
        Assert.False((await down.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ok").GetBoolean());
        Assert.Equal("TEST0000000001", Assert.Single(printer.Labels).Barcodes[0].Data);
        var view = await Factory.GetService<PrinterService>().GetAsync(id);
        Assert.True(view!.Unreachable);
    }

    [Fact]
    public async Task A_printer_without_a_host_or_with_a_bad_port_is_refused_naming_the_fields()
    {
        using var api = Factory.CreateApiClient();
        var response = await api.PostAsJsonAsync("/api/v1/printers", new
        {
            warehouseId = 1, name = "no host", connection = "RawTcp", language = "Zpl", host = "", port = 70000, labelSize = "Mm100x150", dpi = 203, isDefault = false, active = true,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("host", out _));
        Assert.True(errors.TryGetProperty("port", out _));
    }

    private async Task<int> DefaultPrinterAsync(PrinterSimulator printer, PrinterLanguage language, LabelSize size, bool isDefault = true)
    {
        var saved = await Factory.GetService<PrinterService>().SaveAsync(null,
            new PrinterInput(1, $"打印机 {Guid.NewGuid():N}"[..12], PrinterConnection.RawTcp, language, "127.0.0.1", printer.Port, size, 203, isDefault), "tests");
        return saved.Id;
    }

    /// <summary>Approved orders with their waybills issued by a batch that has finished.</summary>
    private async Task<long> FinishedBatchAsync(int orders)
    {
        var accountId = await WaybillTestData.AccountAsync(Factory);
        var orderNos = await WaybillTestData.CreateOrdersAsync(Factory, orders, skus: ["SKU-B", "SKU-A"]);
        var batchId = await WaybillTestData.StartAsync(Factory, orderNos, accountId);
        Assert.Equal(WaybillBatchStatus.Completed, (await WaybillTestData.WaitFinishedAsync(Factory, batchId)).Status);
        return batchId;
    }

    /// <summary>No default printer is left behind for the next test's batches.</summary>
    private async Task RetireAsync()
    {
        await using var db = await WaybillTestData.Db(Factory);
        await db.Set<Printer>().ExecuteUpdateAsync(u => u.SetProperty(p => p.IsDefault, false).SetProperty(p => p.Active, false));
        await db.Set<PrintJob>().Where(j => j.Status != PrintJobStatus.Sent).ExecuteUpdateAsync(u => u.SetProperty(j => j.Status, PrintJobStatus.Failed));
    }
}
