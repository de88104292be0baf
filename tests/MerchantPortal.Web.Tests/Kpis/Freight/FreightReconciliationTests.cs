using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MerchantPortal.Web.Features.Kpis.Freight;
using MiniExcelLibs;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>
/// Reconciliation on a fixture bill with each kind of discrepancy finds exactly those.
/// The bill is Fixtures/freight-bill-zh.csv; the expected outcome is hand-computed in Fixtures/README.md.
/// </summary>
[Collection(FreightPortal.Name)]
public class FreightReconciliationTests(FreightPortal portal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>(kind, number, bill row, difference) — every discrepancy the fixture holds, and nothing else.</summary>
    private static List<(FreightDiscrepancyKind, string, int?, decimal)> Expected(string prefix) =>
    [
        (FreightDiscrepancyKind.OverchargedWeight, $"FRT-{prefix}-002", 3, 6.00m),
        (FreightDiscrepancyKind.OverchargedAmount, $"FRT-{prefix}-003", 4, 6.00m),
        (FreightDiscrepancyKind.NotShipped, "XX-NOT-OURS-1", 8, 12.00m),
        (FreightDiscrepancyKind.BilledTwice, $"FRT-{prefix}-004", 7, 8.00m),
        (FreightDiscrepancyKind.NeverBilled, $"FRT-{prefix}-005", null, 18.00m),
    ];

    private static List<(FreightDiscrepancyKind, string, int?, decimal)> Found(IEnumerable<FreightDiscrepancyView> rows) =>
        [.. rows.Select(d => (d.Kind, d.TrackingNo, d.Row, d.Difference)).OrderBy(x => x.Kind).ThenBy(x => x.TrackingNo, StringComparer.Ordinal)];

    private static List<(FreightDiscrepancyKind, string, int?, decimal)> Sorted(List<(FreightDiscrepancyKind, string, int?, decimal)> rows) =>
        [.. rows.OrderBy(x => x.Item1).ThenBy(x => x.Item2, StringComparer.Ordinal)];

    [Fact]
    public async Task A_fixture_bill_with_each_kind_of_discrepancy_finds_exactly_those_and_a_clean_row_gives_none()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "A");
        var id = await FreightFixture.ReconcileAsync(portal.Factory, account, await File.ReadAllBytesAsync(FreightFixture.FixturePath("freight-bill-zh.csv")), "freight-bill-zh.csv");

        var service = portal.Factory.GetService<FreightBillService>();
        var rows = (await service.DiscrepanciesAsync(id))!;
        Assert.Equal(Sorted(Expected("A")), Found(rows));
        // The clean rows (FRT-A-001, the first FRT-A-004) and the waybill issued after the period (FRT-A-007) give none;
        // the rejected row of FRT-A-009 keeps it from counting as never billed.
        Assert.DoesNotContain(rows, d => d.TrackingNo is "FRT-A-001" or "FRT-A-007" or "FRT-A-009");

        var weight = Assert.Single(rows, d => d.Kind == FreightDiscrepancyKind.OverchargedWeight);
        Assert.Equal((2.4m, 0.8m, 14.00m, 8.00m, "广东省"), (weight.BilledWeightKg!.Value, weight.OurWeightKg!.Value, weight.BilledAmount!.Value, weight.ExpectedAmount!.Value, weight.DestinationProvince));
        var amount = Assert.Single(rows, d => d.Kind == FreightDiscrepancyKind.OverchargedAmount);
        Assert.Equal((20.00m, 14.00m), (amount.BilledAmount!.Value, amount.ExpectedAmount!.Value));
        Assert.Equal("row 5", Assert.Single(rows, d => d.Kind == FreightDiscrepancyKind.BilledTwice).Detail);

        var report = (await service.GetAsync(id))!;
        Assert.Equal(FreightBillStatus.Completed, report.Bill.Status);
        Assert.Equal((8, 6, 2), (report.Bill.TotalRows, report.Bill.ValidRows, report.Bill.ErrorRows));
        Assert.Equal((76.00m, 44.00m, 32.00m), (report.Bill.BilledAmount, report.Bill.ExpectedAmount, report.Bill.DiscrepancyAmount));
        Assert.Equal(
            [(FreightDiscrepancyKind.OverchargedWeight, 1, 6m), (FreightDiscrepancyKind.OverchargedAmount, 1, 6m), (FreightDiscrepancyKind.NotShipped, 1, 12m),
             (FreightDiscrepancyKind.BilledTwice, 1, 8m), (FreightDiscrepancyKind.NeverBilled, 1, 18m), (FreightDiscrepancyKind.NoRate, 0, 0m),
             (FreightDiscrepancyKind.HeavierThanPacked, 0, 0m)],
            report.Totals.Select(t => (t.Kind, t.Count, t.Amount)).ToList());

        // Bad rows: which row, which column (as headed in the file), why.
        Assert.Equal(
            [(6, "运单号", FreightBillReasons.Required), (9, "计费重量(kg)", FreightBillReasons.NotANumber)],
            report.Errors.Select(e => (e.Row, e.Column, e.Reason)).ToList());
    }

    [Fact]
    public async Task The_same_bill_as_an_XLSX_file_with_English_headers_posted_to_the_API_finds_the_same_discrepancies()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "B");
        var csv = (await File.ReadAllTextAsync(FreightFixture.FixturePath("freight-bill-zh.csv"), Encoding.UTF8)).Replace("FRT-A-", "FRT-B-", StringComparison.Ordinal);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var sheet = lines.Select(c => new Dictionary<string, object?> { ["Tracking Number"] = c[0], ["Billed Weight"] = c[1], ["Amount"] = c[2] }).ToList();
        using var xlsx = new MemoryStream();
        await xlsx.SaveAsAsync(sheet, excelType: ExcelType.XLSX);

        using var client = portal.Factory.CreateApiClient();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(xlsx.ToArray()), "file", "bill-en.xlsx" },
            { new StringContent(account.ToString(System.Globalization.CultureInfo.InvariantCulture)), "carrierAccountId" },
            { new StringContent("2031-03-01"), "periodFrom" },
            { new StringContent("2031-03-31"), "periodTo" },
        };
        var response = await client.PostAsync("/api/v1/freight/bill-imports", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<FreightBillAccepted>(Json))!;
        // No Hangfire server in this portal: run the enqueued job by its id, as a worker would.
        await portal.Factory.GetService<FreightBillJob>().RunAsync(accepted.Id, CancellationToken.None);

        var rows = await client.GetFromJsonAsync<List<FreightDiscrepancyView>>(accepted.DiscrepanciesUrl, Json);
        Assert.Equal(Sorted(Expected("B")), Found(rows!));
        var report = await client.GetFromJsonAsync<FreightBillReport>(accepted.StatusUrl, Json);
        Assert.Equal([(6, "Tracking Number", FreightBillReasons.Required), (9, "Billed Weight", FreightBillReasons.NotANumber)],
            report!.Errors.Select(e => (e.Row, e.Column, e.Reason)).ToList());
    }

    [Fact]
    public async Task A_number_already_on_an_earlier_bill_of_the_account_is_billed_twice_and_running_the_job_again_changes_nothing()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "C");
        var first = await FreightFixture.ReconcileAsync(portal.Factory, account, Encoding.UTF8.GetBytes("运单号,计费重量,金额\nFRT-C-001,1.2,14\n"), "c1.csv");
        var second = await FreightFixture.ReconcileAsync(portal.Factory, account, Encoding.UTF8.GetBytes("tracking number,billed weight,amount\nFRT-C-001,1.2,14\n"), "c2.csv");

        var service = portal.Factory.GetService<FreightBillService>();
        var again = Assert.Single((await service.DiscrepanciesAsync(second))!, d => d.Kind == FreightDiscrepancyKind.BilledTwice);
        Assert.Equal(("FRT-C-001", $"bill {first}", 14m), (again.TrackingNo, again.Detail, again.Difference));
        Assert.DoesNotContain((await service.DiscrepanciesAsync(first))!, d => d.TrackingNo == "FRT-C-001");

        var before = Found((await service.DiscrepanciesAsync(second))!);
        await portal.Factory.GetService<FreightBillJob>().RunAsync(second, CancellationToken.None);
        Assert.Equal(before, Found((await service.DiscrepanciesAsync(second))!));
    }

    [Fact]
    public async Task A_bill_without_the_needed_columns_reports_each_missing_column_and_imports_nothing()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "D");
        var id = await FreightFixture.ReconcileAsync(portal.Factory, account, Encoding.UTF8.GetBytes("单号,重量\nFRT-D-001,1.2\n"), "d.csv");
        var report = (await portal.Factory.GetService<FreightBillService>().GetAsync(id))!;
        Assert.Equal([(1, FreightBillReader.AmountColumn, FreightBillReasons.MissingColumn)], report.Errors.Select(e => (e.Row, e.Column, e.Reason)).ToList());
        Assert.Equal(0, report.Bill.ValidRows);
    }

    [Fact]
    public async Task The_expected_cost_of_a_waybill_shows_in_the_API_and_on_its_shipment_page_for_Ops_but_not_CS()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "F");
        using var api = portal.Factory.CreateApiClient();
        var cost = await api.GetFromJsonAsync<WaybillCost>("/api/v1/freight/expected-cost?trackingNo=FRT-F-002", Json);
        Assert.Equal((8.00m, 0.8m, "广东省"), (cost!.Cost!.Value, cost.WeightKg, cost.DestinationProvince));

        await using (var db = await portal.Factory.GetService<Microsoft.EntityFrameworkCore.IDbContextFactory<MerchantPortal.Web.Data.PortalDbContext>>().CreateDbContextAsync())
        {
            db.Add(new MerchantPortal.Web.Features.Tracking.Shipment
            {
                CarrierAccountId = account, ShipperCode = "FRTF", TrackingNo = "FRT-F-003", Status = MerchantPortal.Carriers.ShipmentStatus.InTransit,
                CreatedAtUtc = DateTime.UtcNow, Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        using var ops = await MerchantPortal.Web.Tests.Infrastructure.PortalSession.SignInAsync(portal.Factory, "ops@demo.local");
        Assert.Contains("预期运费：14.00（2 公斤，寄往北京市", System.Net.WebUtility.HtmlDecode(await ops.GetStringAsync("/shipments/FRT-F-003")), StringComparison.Ordinal);
        using var cs = await MerchantPortal.Web.Tests.Infrastructure.PortalSession.SignInAsync(portal.Factory, "cs@demo.local");
        Assert.DoesNotContain("shipment-expected-cost", await cs.GetStringAsync("/shipments/FRT-F-003"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bill_whose_job_was_lost_is_enqueued_again_by_the_sweep_after_its_grace()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "G");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("运单号,计费重量,金额\nFRT-G-001,1.2,14\n"));
        var id = await portal.Factory.GetService<FreightBillService>().StoreAsync(stream, "g.csv", account, FreightFixture.PeriodFrom, FreightFixture.PeriodTo, "test");
        var jobs = portal.Factory.GetService<Hangfire.IBackgroundJobClient>();
        var dbFactory = portal.Factory.GetService<Microsoft.EntityFrameworkCore.IDbContextFactory<MerchantPortal.Web.Data.PortalDbContext>>();

        var now = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        Assert.Equal(0, await new FreightBillWorkSource(dbFactory, jobs, now).RequeueUnfinishedAsync(default));
        now.Advance(FreightBillWorkSource.QueuedGrace + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await new FreightBillWorkSource(dbFactory, jobs, now).RequeueUnfinishedAsync(default));

        await portal.Factory.GetService<FreightBillJob>().RunAsync(id, CancellationToken.None);
        Assert.Equal(FreightBillStatus.Completed, (await portal.Factory.GetService<FreightBillService>().GetAsync(id))!.Bill.Status);
        Assert.Equal(0, await new FreightBillWorkSource(dbFactory, jobs, now).RequeueUnfinishedAsync(default));
    }

    [Theory]
    [InlineData(0.5, 10.00)]
    [InlineData(1.0, 10.00)]
    [InlineData(1.01, 14.00)]
    [InlineData(2.0, 14.00)]
    [InlineData(3.2, 22.00)]
    public void A_price_is_the_first_weight_plus_each_started_kilogram_above_it(double weight, double price) =>
        Assert.Equal((decimal)price, RateCardService.Price(new RateCardRow { FirstWeightKg = 1m, FirstPrice = 10m, AdditionalPerKg = 4m }, (decimal)weight));

    [Fact]
    public async Task A_rate_card_with_an_unknown_province_or_a_second_default_row_is_refused_field_by_field()
    {
        var account = await FreightFixture.SeedAsync(portal.Factory, "E");
        var ex = await Assert.ThrowsAsync<RateCardValidationException>(() => portal.Factory.GetService<RateCardService>().SaveAsync(account,
            [new RateCardRowInput(null, 1m, 10m, 4m), new RateCardRowInput("", 1m, 9m, 4m), new RateCardRowInput("火星", 1m, 9m, -1m)], "test"));
        Assert.Equal(["rows[1].destinationProvince", "rows[2].additionalPerKg", "rows[2].destinationProvince"], ex.Errors.Keys.Order(StringComparer.Ordinal).ToList());
    }
}
