using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Handover;
using MerchantPortal.Web.Features.Waybills;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Tests.Infrastructure;
using MerchantPortal.Web.Tests.Waybills;
using MerchantPortal.Web.Tests.Waybills.Labels;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Handover;

/// <summary>
/// Handover scans against waybills issued through the sandbox carrier (ZTO and SF accounts of the tests' own): every
/// outcome, two scanners racing for one parcel, a closed pickup, and the handover list printed from the scans. Other
/// tests of the waybill portal issue ZTO waybills on the same day, so the expected list is checked by its members.
/// </summary>
[Collection(WaybillCollection.Name)]
public class HandoverScanTests(WaybillPortal portal) : IClassFixture<WaybillPortal>
{
    private PortalFactory Factory => portal.Factory;

    private HandoverService Service => Factory.GetService<HandoverService>();

    private sealed record Issued(DateOnly Day, string[] Zto, string Sf, string Voided);

    /// <summary>Three ZTO waybills (one of them then voided) and one SF waybill, issued through real batches.</summary>
    private async Task<Issued> IssueAsync()
    {
        var zto = await IssueAsync(await WaybillTestData.AccountAsync(Factory), 3);
        var sf = await IssueAsync(await SfAccountAsync(), 1);
        Assert.Equal(VoidOutcome.Voided, (await Factory.GetService<WaybillService>().VoidAsync(zto[2].TrackingNo, "tests")).Outcome);
        return new Issued(zto[0].Day, [zto[0].TrackingNo, zto[1].TrackingNo], sf[0].TrackingNo, zto[2].TrackingNo);
    }

    private async Task<List<(string TrackingNo, DateOnly Day)>> IssueAsync(int accountId, int count)
    {
        var orders = await WaybillTestData.CreateOrdersAsync(Factory, count);
        var summary = await WaybillTestData.WaitFinishedAsync(Factory, await WaybillTestData.StartAsync(Factory, orders, accountId));
        Assert.Equal(count, summary.Succeeded);
        await using var db = await WaybillTestData.Db(Factory);
        var issued = await db.Set<Waybill>().AsNoTracking().Where(w => orders.Contains(w.OrderNo) && w.LiveOrderId != null)
            .OrderBy(w => w.OrderNo).Select(w => new { w.TrackingNo, w.IssuedAtUtc }).ToListAsync();
        return [.. issued.Select(w => (w.TrackingNo, DateOnly.FromDateTime(w.IssuedAtUtc + BusinessCalendar.Offset)))];
    }

    private async Task<int> SfAccountAsync()
    {
        const string name = "handover tests SF";
        await using (var db = await WaybillTestData.Db(Factory))
        {
            if (await db.Set<CarrierAccount>().Where(a => a.Name == name).Select(a => (int?)a.Id).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }
        }
        var created = await Factory.GetService<CarrierAccountService>().CreateAsync(
            new CarrierAccountInput(name, CarrierEnvironment.Sandbox, null, WaybillTestData.EBusinessId, WaybillTestData.AppKey, "SF", "acct", "pwd", "7550001", null, null,
                RequestsPerSecond: 100), "test");
        return created.Id;
    }

    private async Task<HandoverScanOutcome> ScanAsync(long handoverId, string code) =>
        (await Service.ScanAsync(handoverId, code, "scanner")).Scan!.Outcome;

    [Fact]
    public async Task Each_scan_is_accepted_or_flagged_as_duplicate_other_carrier_voided_or_unknown_and_kept()
    {
        var issued = await IssueAsync();
        var handover = await Service.OpenAsync("ZTO", issued.Day, null, "ops");

        Assert.Equal(HandoverScanOutcome.Accepted, await ScanAsync(handover.Id, "  " + issued.Zto[0] + " "));
        Assert.Equal(HandoverScanOutcome.Duplicate, await ScanAsync(handover.Id, issued.Zto[0]));
        var other = (await Service.ScanAsync(handover.Id, issued.Sf, "scanner")).Scan!;
        Assert.Equal((HandoverScanOutcome.OtherCarrier, "SF"), (other.Outcome, other.Detail));
        Assert.Equal(HandoverScanOutcome.Voided, await ScanAsync(handover.Id, issued.Voided));
        Assert.Equal(HandoverScanOutcome.Unknown, await ScanAsync(handover.Id, "NO-SUCH-" + Guid.NewGuid().ToString("N")[..8]));

        var view = (await Service.ViewAsync(handover.Id))!;
        Assert.Equal([issued.Zto[0]], view.Scanned.Select(p => p.TrackingNo));
        Assert.Contains(issued.Zto[1], view.Missing.Select(p => p.TrackingNo));
        Assert.DoesNotContain(issued.Zto[0], view.Missing.Select(p => p.TrackingNo));
        Assert.DoesNotContain(issued.Voided, view.Missing.Select(p => p.TrackingNo));
        Assert.DoesNotContain(issued.Sf, view.Missing.Select(p => p.TrackingNo));
        Assert.Equal(view.Scanned.Count + view.Missing.Count, view.Expected);
        Assert.Equal([HandoverScanOutcome.Unknown, HandoverScanOutcome.Voided, HandoverScanOutcome.OtherCarrier, HandoverScanOutcome.Duplicate],
            view.Flagged.Select(f => f.Outcome));
        Assert.Equal(handover.Id, HandoverRules.DuplicateOf(HandoverScanOutcome.Duplicate, view.Flagged[^1].Detail));
        Assert.Equal((1, 4), ((await Service.GetAsync(handover.Id))!.Scanned, (await Service.GetAsync(handover.Id))!.Flagged));
    }

    [Fact]
    public async Task A_parcel_on_one_pickup_is_a_duplicate_on_the_next_and_no_longer_expected_there()
    {
        var issued = await IssueAsync();
        var first = await Service.OpenAsync("ZTO", issued.Day, null, "ops");
        var second = await Service.OpenAsync("ZTO", issued.Day, null, "ops");
        Assert.Equal(HandoverScanOutcome.Accepted, await ScanAsync(first.Id, issued.Zto[0]));

        var again = (await Service.ScanAsync(second.Id, issued.Zto[0], "scanner")).Scan!;

        Assert.Equal(HandoverScanOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.Id, HandoverRules.DuplicateOf(again.Outcome, again.Detail));
        var view = (await Service.ViewAsync(second.Id))!;
        Assert.Empty(view.Scanned);
        Assert.DoesNotContain(issued.Zto[0], view.Missing.Select(p => p.TrackingNo));
        Assert.Contains(issued.Zto[1], view.Missing.Select(p => p.TrackingNo));
    }

    [Fact]
    public async Task Two_scanners_scanning_one_parcel_at_once_put_it_on_one_pickup_once()
    {
        var issued = await IssueAsync();
        var pickups = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Service.OpenAsync("ZTO", issued.Day, null, "ops")));

        var outcomes = await Task.WhenAll(pickups.SelectMany(p => new[] { p, p }).Select(p => Task.Run(() => ScanAsync(p.Id, issued.Zto[1]))));

        Assert.Equal(1, outcomes.Count(o => o == HandoverScanOutcome.Accepted));
        Assert.Equal(7, outcomes.Count(o => o == HandoverScanOutcome.Duplicate));
        await using var db = await WaybillTestData.Db(Factory);
        var waybillId = await db.Set<Waybill>().Where(w => w.TrackingNo == issued.Zto[1]).Select(w => w.Id).SingleAsync();
        Assert.Equal(1, await db.Set<HandoverScan>().CountAsync(s => s.AcceptedWaybillId == waybillId));
        Assert.Equal(8, await db.Set<HandoverScan>().CountAsync(s => s.WaybillId == waybillId));
    }

    [Fact]
    public async Task A_closed_pickup_refuses_scans_and_a_second_close_and_the_close_is_audited()
    {
        var issued = await IssueAsync();
        using var api = Factory.CreateApiClient();
        var opened = await api.PostAsJsonAsync("/api/v1/handovers", new { carrier = "ZTO", day = issued.Day });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var scan = await api.PostAsJsonAsync($"/api/v1/handovers/{id}/scans", new { code = issued.Zto[0] });
        Assert.Equal("Accepted", (await scan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());

        var closed = await api.PostAsync($"/api/v1/handovers/{id}/close", null);

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.NotNull((await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("closedAtUtc").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/handovers/{id}/scans", new { code = issued.Zto[1] })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/handovers/{id}/close", null)).StatusCode);
        Assert.Equal(ScanStatus.Closed, (await Service.ScanAsync(id, issued.Zto[1], "scanner")).Status);
        await using var db = await WaybillTestData.Db(Factory);
        Assert.Equal(1, await db.Set<HandoverScan>().CountAsync(s => s.HandoverId == id));
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "handover.close" && a.EntityId == id.ToString()));
        // The list still prints after close, and the pickup is listed for its day and carrier.
        Assert.Equal("application/pdf", (await api.GetAsync($"/api/v1/handovers/{id}/list.pdf")).Content.Headers.ContentType?.MediaType);
        var listed = await api.GetFromJsonAsync<JsonElement>($"/api/v1/handovers?day={issued.Day:yyyy-MM-dd}&carrier=zto");
        Assert.Contains(listed.EnumerateArray(), h => h.GetProperty("id").GetInt64() == id && h.GetProperty("scanned").GetInt32() == 1);
    }

    [Fact]
    public async Task The_handover_list_PDF_lists_exactly_the_accepted_parcels_with_count_and_total_weight()
    {
        var issued = await IssueAsync();
        var handover = await Service.OpenAsync("ZTO", issued.Day, null, "ops");
        await ScanAsync(handover.Id, issued.Zto[0]);
        await ScanAsync(handover.Id, issued.Zto[0]);
        await ScanAsync(handover.Id, issued.Sf);
        await ScanAsync(handover.Id, issued.Voided);
        using var api = Factory.CreateApiClient();

        var response = await api.GetAsync($"/api/v1/handovers/{handover.Id}/list.pdf");

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var poppler = new Poppler();
        var text = await poppler.TextAsync(poppler.Write(await response.Content.ReadAsByteArrayAsync()));
        Assert.Contains(issued.Zto[0], text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(issued.Zto[0])));
        Assert.DoesNotContain(issued.Zto[1], text, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Sf, text, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Voided, text, StringComparison.Ordinal);
        Assert.Contains($"#{handover.Id}", text, StringComparison.Ordinal);
        Assert.Contains("共 1 件", text, StringComparison.Ordinal);
        Assert.Contains("总重 1.2 kg", text, StringComparison.Ordinal);
        Assert.Contains("快递员签字", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pickup_is_shown_with_its_counts_missing_and_flagged_over_the_API_and_bad_requests_name_the_field()
    {
        var issued = await IssueAsync();
        using var api = Factory.CreateApiClient();
        var id = (await (await api.PostAsJsonAsync("/api/v1/handovers", new { carrier = "ZTO", day = issued.Day })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await api.PostAsJsonAsync($"/api/v1/handovers/{id}/scans", new { code = issued.Sf });

        var view = await api.GetFromJsonAsync<JsonElement>($"/api/v1/handovers/{id}");

        Assert.Contains(view.GetProperty("missing").EnumerateArray(), p => p.GetProperty("trackingNo").GetString() == issued.Zto[0]);
        var flag = Assert.Single(view.GetProperty("flagged").EnumerateArray());
        Assert.Equal(("OtherCarrier", "SF"), (flag.GetProperty("outcome").GetString(), flag.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/handovers/987654321")).StatusCode);
        var bad = await api.PostAsJsonAsync("/api/v1/handovers", new { carrier = "", day = "0001-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("carrier", out _) && errors.TryGetProperty("day", out _), errors.ToString());
        var empty = await api.PostAsJsonAsync($"/api/v1/handovers/{id}/scans", new { code = " " });
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("code", out _));
    }
}
